package dev.meshaware.benchmarks.apps;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The gate-latency benchmark's application. Its {@code main} first uses JDK types meshaware
 * instruments (a thread pool, one task submitted and waited for, an HTTP client and a request
 * built, nothing sent), as a real application's first lines do, and only then prints the epoch
 * millis: the harness measures sidecar ready -> these first lines ran, so the weaving the
 * instrumented types need counts, not only the gate's own wait.
 */
public final class GateApp {
  private GateApp() {}

  public static void main(String[] args) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(1);
    pool.submit(() -> "first task").get();
    HttpClient.newHttpClient();
    HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/")).build();
    System.out.println("MAIN " + System.currentTimeMillis());
    pool.shutdown();
  }
}
