package dev.meshaware.agent.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.apps.FidelityApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.core.diagnostics.MeshCause;
import dev.meshaware.core.testing.EnvoyReplies;
import dev.meshaware.core.testing.EnvoyReplies.Row;
import dev.meshaware.core.testing.FidelityReplies;
import dev.meshaware.core.testing.ScriptedHttpServer;
import dev.meshaware.core.testing.ScriptedHttpServer.Reply;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every client the agent diagnoses, in a child JVM with the agent, against a raw socket server
 * standing in for Envoy: what the application receives (bytes, charset, content type, when the
 * response and each part of the body arrive) is what it receives without meshaware. Timing is
 * checked without clocks: the server holds the body back until the application has printed that it
 * has the response (or the first chunk), and reports whether it was released or gave up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiagnosticsFidelityIT {
  private static final Duration LINE_WAIT =
      ScriptedHttpServer.GATE_TIMEOUT.plus(Duration.ofSeconds(20));
  private static final AtomicInteger TAGS = new AtomicInteger();

  private ScriptedHttpServer server;
  private Child child;

  @BeforeAll
  void start() throws Exception {
    server = ScriptedHttpServer.start();
    child = new Child(appJvm());
  }

  @AfterAll
  void stop() throws Exception {
    if (child != null) {
      assertThat(child.output())
          .as("the agent must not make the JVM print warnings")
          .doesNotContain("WARNING: ");
      child.close();
    }
    server.close();
  }

  /** The application's JVM with the agent; Netty's native transport wants native access (22+). */
  private static ChildJvm appJvm() {
    ChildJvm jvm =
        ChildJvm.running(FidelityApp.class)
            .withLibraries()
            .property("meshaware.diagnostics.repeat-interval", "1s");
    return ChildJvm.javaFeatureVersion() >= 22
        ? jvm.jvmOption("--enable-native-access=ALL-UNNAMED")
        : jvm;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "urlconnection",
        "jdk",
        "jdk-async",
        "okhttp",
        "okhttp-async",
        "apache5",
        "apache5-async",
        "apache4",
        "reactor-netty"
      })
  void everyByteValueArrivesUnchanged(String client) throws Exception {
    String tag = child.bytes(client, serve(FidelityReplies.binary()), 0);
    assertThat(child.await(tag, "HEADERS")).isEqualTo("502 -");
    assertThat(child.await(tag, "BODY")).isEqualTo(FidelityApp.hex(FidelityReplies.ALL_BYTES));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "urlconnection",
        "jdk",
        "jdk-async",
        "okhttp",
        "okhttp-async",
        "apache5",
        "apache5-async",
        "apache4",
        "reactor-netty"
      })
  void isoLatin1TextKeepsItsBytesCharsetAndContentType(String client) throws Exception {
    String tag = child.bytes(client, serve(FidelityReplies.latin1()), 0);
    assertThat(child.await(tag, "HEADERS")).isEqualTo("502 " + FidelityReplies.LATIN1_TYPE);
    assertThat(child.await(tag, "BODY"))
        .isEqualTo(
            FidelityApp.hex(FidelityReplies.LATIN1_TEXT.getBytes(StandardCharsets.ISO_8859_1)));
    String text = child.text(client, serve(FidelityReplies.latin1()));
    assertThat(child.await(text, "TEXT"))
        .as("the text as the client decodes it")
        .isEqualTo(FidelityApp.hex(FidelityReplies.LATIN1_TEXT.getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "urlconnection",
        "jdk",
        "jdk-async",
        "okhttp",
        "okhttp-async",
        "apache5",
        "apache5-async",
        "apache4",
        "reactor-netty"
      })
  void theResponseArrivesBeforeABodyThatTrailsItsHeadersAndIsStillDiagnosed(String client)
      throws Exception {
    Reply reply = FidelityReplies.trailing();
    String path = serve(reply);
    child.awaitRepeatInterval();
    String tag = child.bytes(client, path, 0);
    assertThat(child.await(tag, "HEADERS")).isEqualTo("504 text/plain");
    reply.release();
    assertThat(reply.releasedByTest())
        .as("the application had the response before the body was sent")
        .isTrue();
    assertThat(child.await(tag, "BODY"))
        .isEqualTo(FidelityApp.hex(FidelityReplies.TRAILING_TEXT.getBytes(StandardCharsets.UTF_8)));
    // The body came too late to be seen: Envoy's reply is known by its length, and says so.
    assertThat(child.awaitDiagnosis(path))
        .contains("mesh failure UT (upstream request timeout) from this pod's sidecar")
        .contains("(504 from the sidecar, body not read: text/plain of the length of Envoy's");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "urlconnection",
        "jdk",
        "jdk-async",
        "okhttp",
        "okhttp-async",
        "apache5",
        "apache5-async",
        "apache4",
        "reactor-netty"
      })
  void aStreamingBodyReachesTheApplicationChunkByChunk(String client) throws Exception {
    Reply reply = FidelityReplies.streaming();
    String first = FidelityReplies.STREAM_FIRST;
    String tag = child.bytes(client, serve(reply), first.length());
    assertThat(child.await(tag, "HEADERS")).isEqualTo("502 text/plain");
    assertThat(child.await(tag, "FIRST"))
        .isEqualTo(FidelityApp.hex(first.getBytes(StandardCharsets.US_ASCII)));
    reply.release();
    assertThat(reply.releasedByTest())
        .as("the application had the response and the first chunk before the rest was sent")
        .isTrue();
    assertThat(child.await(tag, "BODY"))
        .isEqualTo(
            FidelityApp.hex(
                (first + FidelityReplies.STREAM_REST).getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * OkHttp sees Envoy's body when it came with the headers, in each version's codec, without
   * reading it; and never waits when it did not.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"okhttp4", "okhttp5", "okhttp3"})
  void okHttpSeesABodyThatCameWithTheHeadersInEveryVersion(String profile) throws Exception {
    try (Child other =
        profile.equals("okhttp4")
            ? null
            : new Child(appJvm().withLibraryProfile(profile, "okhttp-", "okio", "kotlin-stdlib"))) {
      Child app = other == null ? child : other;
      app.awaitRepeatInterval();
      String whole =
          serve(
              Reply.status(504)
                  .header("server", "envoy")
                  .header("content-type", "text/plain")
                  .part(FidelityReplies.TRAILING_TEXT.getBytes(StandardCharsets.US_ASCII)));
      String tag = app.bytes("okhttp", whole, 0);
      assertThat(app.await(tag, "BODY"))
          .isEqualTo(
              FidelityApp.hex(FidelityReplies.TRAILING_TEXT.getBytes(StandardCharsets.UTF_8)));
      assertThat(app.awaitDiagnosis(whole))
          .contains("mesh failure UT (upstream request timeout)")
          .contains("(Envoy's body \"upstream request timeout\")");

      Reply trailing = FidelityReplies.trailing();
      String late = serve(trailing);
      app.awaitRepeatInterval();
      String lateTag = app.bytes("okhttp", late, 0);
      app.await(lateTag, "HEADERS");
      trailing.release();
      assertThat(trailing.releasedByTest()).as(profile + ": execute() did not wait").isTrue();
      assertThat(app.awaitDiagnosis(late)).contains("body not read");
    }
  }

  /**
   * Every row of the mesh-facts table answered as Envoy answers (head and body in one write):
   * OkHttp sees the body that came with the headers and names the exact cause, origin and hint.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"okhttp", "okhttp-async"})
  void okHttpNamesEveryMeshFactsRowFromTheBodyThatCameWithItsHeaders(String client)
      throws Exception {
    Map<MeshCause, Long> lastLineAt = new EnumMap<>(MeshCause.class);
    child.awaitRepeatInterval();
    for (Row row : EnvoyReplies.ROWS) {
      Long last = lastLineAt.get(row.cause());
      if (last != null) { // one line per host and cause per second
        Thread.sleep(Math.max(0, last + 1200 - System.currentTimeMillis()));
      }
      Reply reply =
          Reply.status(row.status())
              .header("server", "envoy")
              .part(row.body().getBytes(StandardCharsets.US_ASCII));
      if (!row.body().isEmpty()) {
        reply.header("content-type", "text/plain");
      }
      row.headers().forEach(reply::header);
      String path = serve(reply);
      String tag = child.bytes(client, path, 0);
      assertThat(child.await(tag, "BODY"))
          .as(row.name())
          .isEqualTo(FidelityApp.hex(row.body().getBytes(StandardCharsets.US_ASCII)));
      String line = child.awaitDiagnosis(path);
      lastLineAt.put(row.cause(), System.currentTimeMillis());
      assertThat(line)
          .as(client + " " + row.name())
          .contains(
              "WARNING mesh failure " + row.cause().code() + " (" + row.cause().summary() + ")")
          .contains("from " + row.origin().description() + ":")
          .endsWith("hint: " + row.cause().hint(row.origin()));
      if (!row.body().isEmpty()) {
        assertThat(line).as(row.name()).contains("Envoy's body \"" + row.body() + "\"");
      }
    }
  }

  private String serve(Reply reply) {
    String path = "/fidelity/" + TAGS.incrementAndGet();
    server.on(path, reply);
    return path;
  }

  /** A running {@link FidelityApp}: commands in, report lines out. */
  private final class Child implements AutoCloseable {
    private final ChildJvm.Running jvm;
    private final Writer commands;
    private long lastDiagnosisAt;

    Child(ChildJvm config) throws Exception {
      jvm = config.start();
      jvm.awaitLine(FidelityApp.READY, Duration.ofSeconds(60));
      commands = new OutputStreamWriter(jvm.process().getOutputStream(), StandardCharsets.UTF_8);
    }

    String bytes(String client, String path, int firstLength) throws IOException {
      return send(client + " bytes " + server.url(path) + " " + firstLength);
    }

    String text(String client, String path) throws IOException {
      return send(client + " text " + server.url(path));
    }

    private String send(String command) throws IOException {
      String tag = "t" + TAGS.incrementAndGet();
      commands.write(tag + " " + command + "\n");
      commands.flush();
      return tag;
    }

    /** The rest of the line {@code FIDELITY <tag> <what> ...}; fails on an ERROR line. */
    String await(String tag, String what) throws InterruptedException {
      String prefix = "FIDELITY " + tag + " ";
      long deadline = System.nanoTime() + LINE_WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        for (String line : jvm.lines()) {
          if (line.startsWith(prefix + what + " ")) {
            return line.substring(prefix.length() + what.length() + 1);
          }
          if (line.startsWith(prefix + "ERROR")) {
            throw new AssertionError(line + "\n" + output());
          }
        }
        Thread.sleep(20);
      }
      throw new AssertionError("no " + prefix + what + " line:\n" + output());
    }

    /** The diagnostics line for the call to {@code path}. */
    String awaitDiagnosis(String path) throws InterruptedException {
      String call = server.url(path) + " -> ";
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (System.nanoTime() < deadline) {
        for (String line : jvm.lines()) {
          if (line.contains("mesh failure") && line.contains(call)) {
            lastDiagnosisAt = System.currentTimeMillis();
            return line;
          }
        }
        Thread.sleep(20);
      }
      throw new AssertionError("no diagnosis for " + call + ":\n" + output());
    }

    /** Waits out the repeat interval (1 s) so that the next line of the same cause is printed. */
    void awaitRepeatInterval() throws InterruptedException {
      long wait = lastDiagnosisAt + 1200 - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
    }

    String output() {
      return String.join("\n", jvm.lines());
    }

    @Override
    public void close() throws Exception {
      commands.close();
      jvm.kill();
    }
  }
}
