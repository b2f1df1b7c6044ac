package dev.meshaware.spring.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.ChildApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to a real Boot application in a child JVM with the starter only (no agent), beside
 * another library's shutdown hook that closes what the endpoint needs. The delay must run ahead of
 * every shutdown hook, so the application serves whole through it, and a second SIGTERM must end it
 * at once. Orders are read from the child's own output, never from wall-clock windows.
 */
class SigtermDelayTest {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final int SIGTERM_STATUS = 143;
  private static final String DRAINING = "[meshaware] SIGTERM: draining; readiness is";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private static ChildApp start(String delay, String... jvmOptions) throws IOException {
    List<String> options = new ArrayList<>();
    options.add("-Dserver.port=0");
    options.add("-Dserver.address=127.0.0.1");
    options.add("-Dspring.main.banner-mode=off");
    options.add("-Dmeshaware.shutdown.delay=" + delay);
    options.add("-Dmanagement.endpoint.health.probes.enabled=true");
    options.add("-Dmanagement.endpoints.web.exposure.include=health");
    options.addAll(List.of(jvmOptions));
    return ChildApp.withoutAgent(HookedApp.class, options);
  }

  private static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int indexOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void servesWholeThroughTheDelayAndOtherHooksRunOnlyAfterIt() throws Exception {
    try (ChildApp child = start("5s")) {
      int port = Integer.parseInt(child.awaitLine(HookedApp.PORT_LINE, LIMIT));
      assertThat(get(port, "/work").body()).isEqualTo("served");

      long signalled = System.nanoTime();
      child.terminate();
      child.awaitLineContaining(DRAINING, LIMIT);
      // Requests for 2 s of the 5 s delay, as the other sidecars keep sending them.
      List<String> during = new ArrayList<>();
      long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < until) {
        HttpResponse<String> response = get(port, "/work");
        during.add(response.statusCode() + " " + response.body());
      }
      HttpResponse<String> readiness = get(port, "/actuator/health/readiness");
      int status = child.awaitExit(LIMIT);
      long tookMillis = (System.nanoTime() - signalled) / 1_000_000;
      System.out.printf(
          "starter only, SIGTERM with a 5s delay: %d requests served in the first 2 s of the"
              + " delay, all 200; the JVM ended %d ms after SIGTERM with status %d%n",
          during.size(), tookMillis, status);

      assertThat(during).as(child.output()).isNotEmpty().containsOnly("200 served");
      assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(503);
      assertThat(readiness.body()).contains("OUT_OF_SERVICE");
      assertThat(status).as("SIGTERM's status, as without meshaware").isEqualTo(SIGTERM_STATUS);
      List<String> lines = child.lines();
      int drained = indexOf(lines, "the JVM shuts down now (shutdown hooks, then exit)");
      int hook = indexOf(lines, HookedApp.HOOK_LINE);
      assertThat(indexOf(lines, DRAINING)).as(child.output()).isNotNegative();
      assertThat(drained).as(child.output()).isGreaterThan(indexOf(lines, DRAINING));
      // The whole 5 s delay, not cut short; a busy machine may add to it, never take from it.
      java.util.regex.Matcher after =
          java.util.regex.Pattern.compile("drained (\\d+\\.\\d+) s after")
              .matcher(lines.get(drained));
      assertThat(after.find()).as(lines.get(drained)).isTrue();
      assertThat(Double.parseDouble(after.group(1))).as(lines.get(drained)).isBetween(5.0, 30.0);
      assertThat(hook)
          .as("the other library's hook ran only after the delay")
          .isGreaterThan(drained);
      assertThat(indexOf(lines, "shutting down: readiness"))
          .as("no second delay inside Spring's shutdown hook")
          .isNegative();
    }
  }

  @Test
  void aSecondSigtermDuringTheDelayEndsTheApplicationAtOnce() throws Exception {
    try (ChildApp child = start("60s")) {
      child.awaitLine(HookedApp.PORT_LINE, LIMIT);
      child.terminate();
      child.awaitLineContaining(DRAINING, LIMIT);
      Thread.sleep(300);
      long signalled = System.nanoTime();
      child.signal("TERM");
      int status = child.awaitExit(LIMIT); // far less than the 60 s delay
      long tookMillis = (System.nanoTime() - signalled) / 1_000_000;
      System.out.printf(
          "starter only, second SIGTERM during a 60s delay: the JVM ended %d ms later%n",
          tookMillis);

      assertThat(status).isEqualTo(SIGTERM_STATUS);
      List<String> lines = child.lines();
      // The line names the seconds since the first SIGTERM: about 0.3 s, more on a busy machine
      // (reading the line, forking kill), never the 60 s delay.
      int second = indexOf(lines, "second SIGTERM, ");
      int cut = indexOf(lines, "wait cut short");
      assertThat(second).as(child.output()).isNotNegative();
      assertThat(lines.get(second)).contains("skipping the rest of the shutdown wait");
      java.util.regex.Matcher after =
          java.util.regex.Pattern.compile("second SIGTERM, (\\d+\\.\\d+) s after")
              .matcher(lines.get(second));
      assertThat(after.find()).as(lines.get(second)).isTrue();
      assertThat(Double.parseDouble(after.group(1))).as(lines.get(second)).isLessThan(60.0);
      assertThat(cut).isGreaterThan(second);
      assertThat(indexOf(lines, HookedApp.HOOK_LINE)).isGreaterThan(cut);
    }
  }

  @Test
  void saysInOneLineWhenTheJvmLeavesSigtermAlone() throws Exception {
    try (ChildApp child = start("5s", "-Xrs")) {
      child.awaitLine(HookedApp.PORT_LINE, LIMIT);
      List<String> cannot =
          child.lines().stream().filter(l -> l.contains("cannot handle SIGTERM")).toList();
      assertThat(cannot)
          .as(child.output())
          .singleElement()
          .asString()
          .contains("[meshaware] WARNING", "-Xrs")
          .contains("the shutdown delay runs only when Spring closes the context");
    }
  }
}
