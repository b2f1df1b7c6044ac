package dev.meshaware.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.meshaware.benchmarks.apps.ChainApp;
import dev.meshaware.benchmarks.apps.Forwarded;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loopback chain: this JVM's load generator -> {@link ChainApp} in a child JVM (no agent,
 * meshaware, OpenTelemetry) -> a downstream server in this JVM. Rounds alternate the variants;
 * prints one JSON line per measured round. Args: java, meshaware jar, OpenTelemetry jar, class path
 * of ChainApp, seconds per round, rounds, connections, and optionally the middle service's class
 * ({@link ChainApp} by default; {@code VertxChainApp} for the event-loop chain).
 */
public final class ChainBenchmark {
  private static final AtomicLong DOWNSTREAM = new AtomicLong();
  private static final AtomicLong WITH_REQUEST_ID = new AtomicLong();
  private static final AtomicLong WITH_B3 = new AtomicLong();

  private ChainBenchmark() {}

  public static void main(String[] args) throws Exception {
    String java = args[0];
    String meshaware = args[1];
    String otel = args[2];
    String classpath = args[3];
    int seconds = Integer.parseInt(args[4]);
    int rounds = Integer.parseInt(args[5]);
    int connections = Integer.parseInt(args[6]);
    String app = args.length > 7 ? args[7] : ChainApp.class.getName();
    HttpServer downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    downstream.createContext(
        "/",
        exchange -> {
          DOWNSTREAM.incrementAndGet();
          String seen = Forwarded.describe(exchange.getRequestHeaders()::getFirst);
          if (seen.contains("request-id")) {
            WITH_REQUEST_ID.incrementAndGet();
          }
          if (seen.contains("b3")) {
            WITH_B3.incrementAndGet();
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    downstream.setExecutor(Executors.newFixedThreadPool(8));
    downstream.start();
    List<List<String>> variants =
        List.of(
            List.of("none"),
            List.of("meshaware", "-javaagent:" + meshaware),
            List.of(
                "otel",
                "-javaagent:" + otel,
                "-Dotel.propagators=b3multi",
                "-Dotel.traces.exporter=none",
                "-Dotel.metrics.exporter=none",
                "-Dotel.logs.exporter=none",
                "-Dotel.javaagent.logging=none"));
    // The load generator (this JVM) warms up first, against the downstream alone, so that the first
    // variant measured is not also measuring this JVM's own warm-up.
    load(
        URI.create("http://127.0.0.1:" + downstream.getAddress().getPort() + "/"), 10, connections);
    for (int round = 0; round < rounds; round++) {
      for (List<String> variant : variants) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(variant.subList(1, variant.size()));
        command.addAll(
            List.of("-cp", classpath, app, Integer.toString(downstream.getAddress().getPort())));
        measure(variant.get(0), command, seconds, connections);
      }
    }
    downstream.stop(0);
    System.exit(0);
  }

  private static void measure(String variant, List<String> command, int seconds, int connections)
      throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder
        .environment()
        .keySet()
        .removeIf(n -> n.startsWith("MESHAWARE_") || n.startsWith("KUBERNETES_"));
    Process child = builder.start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      int port = -1;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("PORT ")) {
          port = Integer.parseInt(line.substring(5).trim());
          break;
        }
      }
      if (port < 0) {
        throw new IllegalStateException(variant + ": chain app did not start");
      }
      Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
      drain.setDaemon(true);
      drain.start();
      URI uri = URI.create("http://127.0.0.1:" + port + "/");
      load(uri, Math.max(2, seconds / 2), connections); // warm-up
      DOWNSTREAM.set(0);
      WITH_REQUEST_ID.set(0);
      WITH_B3.set(0);
      long[] latencies = load(uri, seconds, connections);
      Arrays.sort(latencies);
      double throughput = latencies.length / (double) seconds;
      System.out.printf(
          Locale.ROOT,
          "{\"variant\":\"%s\",\"requests\":%d,\"throughput\":%.1f,\"p50_ms\":%.3f,"
              + "\"p99_ms\":%.3f,\"downstream\":%d,\"with_request_id\":%d,\"with_b3\":%d}%n",
          variant,
          latencies.length,
          throughput,
          percentile(latencies, 0.50) / 1e6,
          percentile(latencies, 0.99) / 1e6,
          DOWNSTREAM.get(),
          WITH_REQUEST_ID.get(),
          WITH_B3.get());
    } finally {
      child.destroyForcibly();
      child.waitFor();
    }
  }

  /** Sends requests from {@code connections} threads for {@code seconds}; returns latencies. */
  private static long[] load(URI uri, int seconds, int connections) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(2))
            .build();
    HttpRequest request =
        Forwarded.inbound(HttpRequest.newBuilder(uri)).timeout(Duration.ofSeconds(10)).build();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    ExecutorService threads = Executors.newFixedThreadPool(connections);
    List<Future<long[]>> results = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      results.add(
          threads.submit(
              () -> {
                long[] own = new long[1 << 16];
                int count = 0;
                while (System.nanoTime() < end) {
                  long start = System.nanoTime();
                  HttpResponse<Void> response =
                      client.send(request, HttpResponse.BodyHandlers.discarding());
                  if (response.statusCode() != 200) {
                    throw new IllegalStateException("status " + response.statusCode());
                  }
                  if (count == own.length) {
                    own = Arrays.copyOf(own, count * 2);
                  }
                  own[count++] = System.nanoTime() - start;
                }
                return Arrays.copyOf(own, count);
              }));
    }
    List<long[]> all = new ArrayList<>();
    for (Future<long[]> result : results) {
      all.add(result.get());
    }
    threads.shutdown();
    return all.stream().flatMapToLong(Arrays::stream).toArray();
  }

  private static long percentile(long[] sorted, double p) {
    return sorted.length == 0
        ? 0
        : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }
}
