package dev.meshaware.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.apps.ServiceApp;
import dev.meshaware.agent.apps.ShapeMismatchApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.MeshedService;
import dev.meshaware.agent.testing.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.implementation.FixedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Library versions the advice was not written against: OkHttp 5 and 3 (advice compiled against 4),
 * Apache HttpClient 5.1 (compiled against 5.5); and a class of another shape under a target's name,
 * which must be skipped with one debug line while the application runs untouched.
 */
class VersionSafetyIT {

  private static void assertForwarded(MeshedService service, List<String> clients)
      throws Exception {
    for (String client : clients) {
      String path = "/version-" + client;
      Map<String, String> sent = PropagationMatrixIT.traceHeaders(client);
      assertThat(service.call("client=" + client + "&path=" + path, sent))
          .as(client + "\n" + service.output())
          .isEqualTo("200");
      LoggedRequest received = service.received(path).get(0);
      sent.forEach((name, value) -> assertThat(received.getHeader(name)).as(name).isEqualTo(value));
    }
    assertThat(service.output()).doesNotContain("Exception", "Error");
  }

  @Test
  void forwardsThroughOkHttp5() throws Exception {
    try (MeshedService service =
        MeshedService.start(
            "jdk",
            ChildJvm.running(ServiceApp.class)
                .withLibraryProfile("okhttp5", "okhttp-", "okio", "kotlin-stdlib"))) {
      assertForwarded(service, List.of("okhttp", "okhttp-async"));
    }
  }

  @Test
  void forwardsThroughOkHttp3() throws Exception {
    try (MeshedService service =
        MeshedService.start(
            "jdk",
            ChildJvm.running(ServiceApp.class)
                .withLibraryProfile("okhttp3", "okhttp-", "okio", "kotlin-stdlib"))) {
      assertForwarded(service, List.of("okhttp", "okhttp-async"));
    }
  }

  @Test
  void forwardsThroughAnOlderApacheHttpClient5() throws Exception {
    try (MeshedService service =
        MeshedService.start(
            "jdk",
            ChildJvm.running(ServiceApp.class)
                .withLibraryProfile("httpclient5-old", "httpclient5-", "httpcore5"))) {
      assertForwarded(service, List.of("apache5", "apache5-async"));
    }
  }

  @Test
  void skipsATargetOfAnotherShapeWithOneDebugLine(@TempDir Path classes) throws Exception {
    new ByteBuddy()
        .subclass(Object.class)
        .name("okhttp3.OkHttpClient")
        .defineMethod("newCall", String.class, Visibility.PUBLIC)
        .withParameters(String.class)
        .intercept(FixedValue.value("called"))
        .make()
        .saveIn(classes.toFile());
    Result result =
        ChildJvm.running(ShapeMismatchApp.class)
            .withClasspathEntry(classes)
            .property("meshaware.debug", "true")
            .run(Duration.ofSeconds(60));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.firstLineContaining("APP-RESULT")).hasValue("APP-RESULT called");
    assertThat(result.lines().stream().filter(l -> l.contains("skipping okhttp")))
        .singleElement()
        .asString()
        .contains("okhttp3.OkHttpClient", "no method newCall(okhttp3.Request)");
    assertThat(result.lines()).noneMatch(l -> l.contains("Exception") || l.contains("Error"));
  }
}
