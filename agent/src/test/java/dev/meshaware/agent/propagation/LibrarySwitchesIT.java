package dev.meshaware.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.apps.ServiceApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.MeshedService;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code meshaware.instrumentation.<library>.enabled=false} leaves exactly that library alone: its
 * calls carry nothing, the other libraries forward as before, the report says so, and a switch
 * naming no library is one warning line that names the libraries there are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LibrarySwitchesIT {
  private MeshedService service;

  @BeforeAll
  void start() throws Exception {
    service =
        MeshedService.start(
            "jdk",
            ChildJvm.running(ServiceApp.class)
                .property("meshaware.instrumentation.okhttp.enabled", "false")
                .property("meshaware.instrumentation.nety.enabled", "false")
                .env("MESHAWARE_INSTRUMENTATION_APACHE_HTTPCLIENT4_ENABLED", "false")
                .property("meshaware.report.delay", "1s"));
  }

  @AfterAll
  void stop() throws Exception {
    service.close();
  }

  @Test
  void aLibrarySwitchedOffForwardsNothingAndTheOthersForwardAsBefore() throws Exception {
    for (String client : new String[] {"okhttp", "okhttp-async", "apache4", "jdk", "apache5"}) {
      String path = "/switch-" + client;
      assertThat(
              service.call(
                  "client=" + client + "&path=" + path, PropagationMatrixIT.traceHeaders("s")))
          .as(client)
          .isEqualTo("200");
      String forwarded = service.received(path).get(0).getHeader("x-request-id");
      if (client.startsWith("okhttp") || client.equals("apache4")) {
        assertThat(forwarded).as(client + " is switched off").isNull();
      } else {
        assertThat(forwarded)
            .as(client)
            .isEqualTo(PropagationMatrixIT.traceHeaders("s").get("x-request-id"));
      }
    }
  }

  @Test
  void aSwitchNamingNoLibraryIsOneWarningNamingTheLibraries() throws Exception {
    String line =
        service.awaitLineContaining(
            "meshaware.instrumentation.nety.enabled", Duration.ofSeconds(30));
    assertThat(line)
        .startsWith("[meshaware] WARNING")
        .contains("names no instrumented library")
        .contains("okhttp", "jdk-httpserver", "executors");
    assertThat(service.linesContaining("names no instrumented library")).hasSize(1);
  }

  @Test
  void theReportNamesTheLibrariesSwitchedOff() throws Exception {
    String line = service.awaitLineContaining("switched off:", Duration.ofSeconds(40));
    assertThat(line)
        .contains("okhttp", "apache-httpclient4")
        .contains("meshaware.instrumentation.<library>.enabled=false");
  }
}
