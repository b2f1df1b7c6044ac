package dev.meshaware.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meshaware.agent.testing.ChildJvm;
import example.isolation.StressApp;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Randomized isolation under load: {@code meshaware.test.stressRequests} requests (20,000 by
 * default) over 32 connections into {@link StressApp} with the agent, one in ten without headers,
 * each running a random graph of 1 to 4 hops over every executor of the conformance tests (made
 * before and during requests, {@code CompletableFuture} stages completed by other requests, serial
 * executors), while the main thread runs graphs of its own outside any request. Every leaf calls
 * out tagged with the request id its code was given: no call may carry another request's headers,
 * none where it belongs to no request or a request without headers, and every call of a request
 * with headers carries them. The seed is printed, and can be set with {@code
 * meshaware.test.stressSeed}.
 */
class IsolationStressIT {
  private static final int CONNECTIONS = 32;

  /** The downstream: checks each call's headers against the owner and expectation in its tag. */
  private static final class Checker {
    final AtomicLong total = new AtomicLong();
    final AtomicLong matched = new AtomicLong();
    final AtomicLong noneExpectedNone = new AtomicLong();
    final AtomicLong anotherRequests = new AtomicLong();
    final AtomicLong headersWhereNone = new AtomicLong();
    final AtomicLong missing = new AtomicLong();
    final AtomicLong outside = new AtomicLong();
    final ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();

    /** Wrong calls by each hop on their route: where to look first. */
    final Map<String, AtomicLong> wrongByHop = new ConcurrentHashMap<>();

    final HttpServer server;

    Checker() throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
      server.createContext(
          "/rec/",
          exchange -> {
            String tag = exchange.getRequestURI().getPath().substring("/rec/".length());
            check(
                tag,
                exchange.getRequestHeaders().getFirst("x-request-id"),
                exchange.getRequestHeaders().getFirst("end-user"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.setExecutor(Executors.newFixedThreadPool(16));
      server.start();
    }

    /**
     * {@code tag} is {@code <owner>_<h|n>_<leaf>_<route>}; owner {@code r<id>} or {@code o<k>},
     * route the hops the call came through.
     */
    void check(String tag, String requestId, String endUser) {
      total.incrementAndGet();
      String[] parts = tag.split("_", 4);
      String owner = parts[0];
      if (owner.startsWith("o")) {
        outside.incrementAndGet();
      }
      boolean expectHeaders = parts[1].equals("h");
      boolean carried = requestId != null || endUser != null;
      if (expectHeaders && owner.equals(requestId) && ("user-" + owner).equals(endUser)) {
        matched.incrementAndGet();
        return;
      }
      if (!expectHeaders && !carried) {
        noneExpectedNone.incrementAndGet();
        return;
      }
      if (!carried) {
        missing.incrementAndGet();
      } else if (expectHeaders) {
        anotherRequests.incrementAndGet();
      } else {
        headersWhereNone.incrementAndGet();
      }
      if (examples.size() < 10) {
        examples.add(tag + " carried x-request-id=" + requestId + " end-user=" + endUser);
      }
      for (String hop : parts[3].split("\\.")) {
        wrongByHop.computeIfAbsent(hop, h -> new AtomicLong()).incrementAndGet();
      }
    }
  }

  @Test
  void noCallCarriesAnotherRequestsHeadersUnderLoad() throws Exception {
    int requests = Integer.getInteger("meshaware.test.stressRequests", 20_000);
    long seed = Long.getLong("meshaware.test.stressSeed", System.nanoTime());
    Checker checker = new Checker();
    ChildJvm.Running child =
        ChildJvm.running(StressApp.class)
            .withLibraries()
            .property("app.recorder", Integer.toString(checker.server.getAddress().getPort()))
            .property("meshaware.propagation.extra-headers", "end-user")
            // Keep the leaves' connections to the recorder alive instead of one per call.
            .property("http.maxConnections", "128")
            .start();
    ExecutorService load = Executors.newFixedThreadPool(CONNECTIONS);
    try {
      int port = Integer.parseInt(child.awaitLine(StressApp.PORT, Duration.ofSeconds(60)));
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .executor(Executors.newFixedThreadPool(4))
              .build();
      String base = "http://127.0.0.1:" + port;
      get(client, base + "/control?op=start", null);
      AtomicInteger next = new AtomicInteger();
      AtomicLong leaves = new AtomicLong();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      long start = System.nanoTime();
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < CONNECTIONS; w++) {
        workers.add(
            load.submit(
                () -> {
                  for (int id; (id = next.getAndIncrement()) < requests; ) {
                    boolean headers = id % 10 != 0;
                    String answer =
                        get(
                            client,
                            base
                                + "/req?id="
                                + id
                                + "&h="
                                + (headers ? 1 : 0)
                                + "&seed="
                                + (seed + id),
                            headers ? "r" + id : null);
                    if (answer.startsWith("ok ")) {
                      leaves.addAndGet(Long.parseLong(answer.substring(3)));
                    } else if (failures.size() < 10) {
                      failures.add("request " + id + ": " + answer);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get(10, TimeUnit.MINUTES);
      }
      get(client, base + "/control?op=stop", null);
      String[] stats = get(client, base + "/control?op=stats", null).split(" ");
      long outsideLeaves = Long.parseLong(stats[0].substring("outsideLeaves=".length()));
      long failedHops = Long.parseLong(stats[1].substring("failedHops=".length()));
      long cpuMillis = Long.parseLong(stats[2].substring("cpuMillis=".length()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (checker.total.get() < leaves.get() + outsideLeaves && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "isolation stress (seed %d): %d requests over %d connections in %.1f s; %d calls:"
              + " matched %d, none-expected-none %d (of them %d outside any request);"
              + " another request's headers %d, headers where none belonged %d, headers missing"
              + " %d; failed hops %d, failed requests %d; the child used %.1f s of CPU%n",
          seed,
          requests,
          CONNECTIONS,
          seconds,
          checker.total.get(),
          checker.matched.get(),
          checker.noneExpectedNone.get(),
          checker.outside.get(),
          checker.anotherRequests.get(),
          checker.headersWhereNone.get(),
          checker.missing.get(),
          failedHops,
          failures.size(),
          cpuMillis / 1000.0);

      if (!checker.wrongByHop.isEmpty()) {
        System.out.println(
            "isolation stress: wrong calls by hop on their route: " + checker.wrongByHop);
      }
      String problems =
          child.lines().stream()
              .filter(l -> l.startsWith("STRESS") || l.contains("Exception"))
              .limit(20)
              .collect(java.util.stream.Collectors.joining("\n"));
      assertThat(failures).as("failed requests; the child said:\n" + problems).isEmpty();
      assertThat(failedHops)
          .as("hops the application could not make; the child said:\n" + problems)
          .isZero();
      assertThat(checker.anotherRequests.get())
          .as("calls with another request's headers: " + checker.examples)
          .isZero();
      assertThat(checker.headersWhereNone.get())
          .as("calls with headers where none belonged: " + checker.examples)
          .isZero();
      assertThat(checker.missing.get())
          .as("calls of a request with headers that carried none: " + checker.examples)
          .isZero();
      assertThat(checker.total.get()).isEqualTo(leaves.get() + outsideLeaves);
      assertThat(checker.matched.get()).isPositive();
      assertThat(checker.outside.get()).isPositive();
    } finally {
      load.shutdownNow();
      child.kill();
      checker.server.stop(0);
    }
  }

  private static String get(HttpClient client, String url, String requestId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120));
    if (requestId != null) {
      request.header("x-request-id", requestId).header("end-user", "user-" + requestId);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
