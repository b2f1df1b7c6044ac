package dev.meshaware.agent.bind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.apps.KeepAliveApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.Result;
import dev.meshaware.core.testing.FakeSidecar;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Kubernetes pod whose sidecar (a loopback WireMock) is ready, with real Tomcat, Reactor Netty
 * and JDK servers in one child JVM with the agent: a short idle keep-alive timeout gets the line
 * with both numbers, a long one or none gets none; a retried POST and PATCH get one line each and
 * are counted in the MBean, a retried GET or DELETE, a first attempt and a bad count are not.
 */
class KeepAliveAndRetriesIT {
  private static final Duration CHILD_LIMIT = Duration.ofSeconds(90);
  private static FakeSidecar sidecar;
  private static Result result;

  @BeforeAll
  static void run() throws Exception {
    sidecar = new FakeSidecar();
    sidecar.answer(200);
    result =
        ChildJvm.running(KeepAliveApp.class)
            .withLibraries()
            // Netty loads its epoll library with System.load, which JDK 24 and later warn about
            // unless the application allows it, as Netty's users do; JDK 17 accepts it too.
            .jvmOption("--enable-native-access=ALL-UNNAMED")
            .env("KUBERNETES_SERVICE_HOST", "127.0.0.1")
            .env("KUBERNETES_SERVICE_PORT", String.valueOf(sidecar.port()))
            .property("meshaware.startup.ready-url", sidecar.readyUrl())
            .property("meshaware.report.delay", "0s")
            .property("meshaware.shutdown.delay", "0s")
            .property("meshaware.shutdown.drain-timeout", "0s")
            .property("meshaware.shutdown.quit-proxy", "never")
            .run(CHILD_LIMIT);
  }

  @AfterAll
  static void stop() {
    sidecar.close();
  }

  private static String port(String name) {
    return result
        .firstLineContaining("PORT " + name + " ")
        .map(line -> line.substring(line.lastIndexOf(' ') + 1))
        .orElseThrow(() -> new AssertionError(result.toString()));
  }

  private static List<String> linesAbout(String text) {
    return result.meshawareLines().stream()
        .filter(line -> line.contains(text))
        .collect(Collectors.toList());
  }

  @Test
  void aServerClosingIdleConnectionsBeforeTheSidecarGetsOneLineWithBothNumbers() {
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(linesAbout("Tomcat on port " + port("tomcat-short") + " "))
        .singleElement()
        .asString()
        .startsWith(
            "[meshaware] Tomcat on port "
                + port("tomcat-short")
                + " closes idle keep-alive connections after 5s, the sidecar after 1h")
        .contains("server.tomcat.keep-alive-timeout", "inboundConnectionPool.http.idleTimeout");
    assertThat(linesAbout("Reactor Netty on port " + port("reactor-short") + " "))
        .singleElement()
        .asString()
        .contains("closes idle keep-alive connections after 5s, the sidecar after 1h")
        .contains("server.netty.idle-timeout");
    assertThat(result.firstLineContaining("REPORT port " + port("tomcat-short") + " idle timeout"))
        .as("the startup report has both numbers")
        .hasValueSatisfying(
            line -> assertThat(line).endsWith("Tomcat 5s, sidecar 1h (the server closes first)"));
    assertThat(result.firstLineContaining("REPORT port " + port("tomcat-long") + " idle timeout"))
        .hasValueSatisfying(line -> assertThat(line).endsWith("Tomcat 2h, sidecar 1h"));
    assertThat(linesAbout("the JDK's HttpServer on port " + port("jdk") + " "))
        .singleElement()
        .asString()
        .contains("closes idle keep-alive connections after 30s, the sidecar after 1h")
        .contains("sun.net.httpserver.idleInterval");
    assertThat(linesAbout("Jetty on port " + port("jetty") + " "))
        .singleElement()
        .asString()
        .contains("closes idle keep-alive connections after 30s, the sidecar after 1h")
        .contains("server.jetty.connection-idle-timeout");
    assertThat(linesAbout("Undertow on port " + port("undertow-short") + " "))
        .singleElement()
        .asString()
        .contains("closes idle keep-alive connections after 5s, the sidecar after 1h")
        .contains("server.undertow.no-request-timeout");
    assertThat(linesAbout("on port " + port("undertow-none") + " ")).isEmpty();
    assertThat(linesAbout("on port " + port("tomcat-long") + " ")).isEmpty();
    assertThat(linesAbout("on port " + port("reactor-none") + " ")).isEmpty();
    assertThat(result.jvmWarnings())
        .as(
            "the agent must not make the JVM print warnings; Undertow's jboss-threads may (JDK 24+)")
        .noneMatch(line -> line.contains("dev.meshaware"));
  }

  @Test
  void aRetriedPostOrPatchGetsOneLineAndIsCountedAGetIsNot() {
    assertThat(linesAbout("retried "))
        .as(result.toString())
        .containsExactly(
            linesAbout("retried POST /orders: attempt 2").get(0),
            linesAbout("retried PATCH /items/7: attempt 3").get(0),
            linesAbout("retried POST /jobs: attempt 2").get(0),
            linesAbout("retried POST /jetty-orders: attempt 2").get(0),
            linesAbout("retried PATCH /undertow/1: attempt 2").get(0));
    assertThat(linesAbout("retried POST /orders: attempt 2").get(0))
        .startsWith("[meshaware] WARNING ")
        .contains("x-request-id r-tomcat-post", "retries.retryOn")
        .doesNotContain("secret");
    assertThat(linesAbout("retried PATCH /items/7").get(0))
        .contains("x-request-id r-reactor-patch");
    assertThat(result.firstLineContaining("MBEAN ")).hasValue("MBEAN PATCH=2,POST=3");
  }
}
