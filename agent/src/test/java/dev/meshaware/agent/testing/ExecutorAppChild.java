package dev.meshaware.agent.testing;

import example.isolation.ExecutorApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@link ExecutorApp} in a child JVM (with the agent, or without it as the control), its work
 * calling {@code recorder}. Requests are sent from this JVM with {@code x-request-id: <id>} and
 * {@code end-user: user-<id>}, or with no headers at all when the id is null.
 */
public final class ExecutorAppChild implements AutoCloseable {
  private final ChildJvm.Running child;
  private final int port;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private ExecutorAppChild(ChildJvm.Running child, int port) {
    this.child = child;
    this.port = port;
  }

  public static ExecutorAppChild start(Recorder recorder, boolean withAgent) throws Exception {
    ChildJvm jvm =
        ChildJvm.running(ExecutorApp.class)
            .withLibraries()
            .property("app.recorder", Integer.toString(recorder.port()))
            .property("meshaware.propagation.extra-headers", "end-user");
    if (!withAgent) {
      jvm.withoutAgent();
    }
    ChildJvm.Running child = jvm.start();
    try {
      return new ExecutorAppChild(
          child, Integer.parseInt(child.awaitLine(ExecutorApp.PORT, Duration.ofSeconds(60))));
    } catch (AssertionError | RuntimeException e) {
      child.kill();
      throw e;
    }
  }

  /** The value of {@code end-user} a request with {@code requestId} carries. */
  public static String endUserOf(String requestId) {
    return "user-" + requestId;
  }

  /** {@code GET /op?<query>} as request {@code requestId} (null: no headers); the answer. */
  public String op(String query, String requestId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/op?" + query))
            .timeout(Duration.ofSeconds(90));
    if (requestId != null) {
      request.header("x-request-id", requestId).header("end-user", endUserOf(requestId));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The same operation done by the child's main thread, outside any request. */
  public String outside(String query) throws Exception {
    return op(query + "&where=outside", null);
  }

  /** The child's output so far. */
  public String output() {
    return String.join("\n", child.lines());
  }

  @Override
  public void close() throws Exception {
    child.kill();
  }
}
