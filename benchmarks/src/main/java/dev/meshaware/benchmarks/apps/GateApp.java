package dev.meshaware.benchmarks.apps;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The gate-latency benchmark's application. Loading its main class uses JDK types meshaware
 * instruments, as a real application's first lines do: a thread pool with one task run and waited
 * for, and the JDK HTTP client's types with a request built (no client is created: the default TLS
 * context it sets up is the JDK's own cost, not the gate's). {@code main} prints the epoch millis
 * first thing: the harness measures sidecar ready -> these first lines ran, so the weaving the
 * instrumented types need counts, not only the gate's own wait.
 */
public final class GateApp {
  /** When loading the class began to run its first lines. */
  private static final long START = System.nanoTime();

  private static final ExecutorService POOL = Executors.newFixedThreadPool(1);
  private static final HttpRequest FIRST_REQUEST = firstLines();

  private GateApp() {}

  private static HttpRequest firstLines() {
    POOL.execute(
        new Runnable() {
          @Override
          public void run() {
            Thread.currentThread().setName("first-task");
          }
        });
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/"))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  public static void main(String[] args) {
    long now = System.currentTimeMillis();
    System.out.println(
        "MAIN "
            + now
            + " FIRST_LINES_US "
            + (System.nanoTime() - START) / 1000
            + " "
            + FIRST_REQUEST.method());
    POOL.shutdown();
  }
}
