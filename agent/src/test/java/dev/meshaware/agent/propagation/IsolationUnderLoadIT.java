package dev.meshaware.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meshaware.agent.apps.ServiceApp;
import dev.meshaware.agent.testing.ChildJvm;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 50,000 requests over 32 concurrent connections into Tomcat with the agent, each with its own ids,
 * each causing one outbound call through a rotating client and thread hop, interleaved with pooled
 * work that belongs to no request. Every outbound call must carry exactly its own request's ids;
 * the pooled work must carry none.
 */
class IsolationUnderLoadIT {
  private static final int REQUESTS = 50_000;
  private static final int CONNECTIONS = 32;
  private static final int OUTSIDE_EVERY = 100;
  private static final String[] ROUTES = {
    "client=urlconnection&hop=direct",
    "client=okhttp&hop=executor",
    "client=apache5&hop=forkjoin",
    "client=jdk&hop=completable-pool",
    "client=okhttp-async&hop=direct",
    "client=apache4&hop=scheduled"
  };

  /** The downstream: checks every arriving request against the id in its path. */
  private static final class Checker {
    final AtomicLong matched = new AtomicLong();
    final AtomicLong mismatched = new AtomicLong();
    final AtomicLong outsideClean = new AtomicLong();
    final AtomicLong outsideLeaked = new AtomicLong();
    final ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();
    final HttpServer server;

    Checker() throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
      server.createContext(
          "/",
          exchange -> {
            String path = exchange.getRequestURI().getPath();
            String requestId = exchange.getRequestHeaders().getFirst("x-request-id");
            String traceId = exchange.getRequestHeaders().getFirst("x-b3-traceid");
            if (path.startsWith("/outside/")) {
              (requestId == null && traceId == null ? outsideClean : outsideLeaked)
                  .incrementAndGet();
            } else {
              String id = path.substring(path.lastIndexOf('/') + 1);
              boolean ok = ("rid-" + id).equals(requestId) && traceIdFor(id).equals(traceId);
              (ok ? matched : mismatched).incrementAndGet();
              if (!ok && examples.size() < 5) {
                examples.add(path + " got " + requestId + " / " + traceId);
              }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.setExecutor(Executors.newFixedThreadPool(CONNECTIONS));
      server.start();
    }
  }

  static String traceIdFor(String id) {
    return String.format("%032x", Long.parseLong(id) * 7919 + 1);
  }

  @Test
  void everyOutboundCallCarriesExactlyItsOwnRequestsIds() throws Exception {
    Checker checker = new Checker();
    ChildJvm.Running child =
        ChildJvm.running(ServiceApp.class)
            .withLibraries()
            .property("app.inbound", "tomcat")
            .property("app.downstream", "http://127.0.0.1:" + checker.server.getAddress().getPort())
            .property("server.threads", "64")
            .start();
    ExecutorService load = Executors.newFixedThreadPool(CONNECTIONS);
    try {
      int port = Integer.parseInt(child.awaitLine(ServiceApp.PORT, Duration.ofSeconds(60)));
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .executor(Executors.newFixedThreadPool(4))
              .build();
      AtomicInteger next = new AtomicInteger();
      AtomicInteger failures = new AtomicInteger();
      AtomicInteger outsideSent = new AtomicInteger();
      long start = System.nanoTime();
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < CONNECTIONS; w++) {
        workers.add(
            load.submit(
                () -> {
                  for (int id; (id = next.getAndIncrement()) < REQUESTS; ) {
                    boolean outside = id % OUTSIDE_EVERY == 0;
                    String query =
                        outside
                            ? "hop=outside&path=/outside/" + id
                            : ROUTES[id % ROUTES.length] + "&path=/leak/" + id;
                    HttpRequest request =
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/call?" + query))
                            .header("x-request-id", "rid-" + id)
                            .header("x-b3-traceid", traceIdFor(Integer.toString(id)))
                            .header("x-b3-spanid", "00f067aa0ba902b7")
                            .header("x-b3-sampled", "1")
                            .timeout(Duration.ofSeconds(30))
                            .build();
                    try {
                      String body =
                          client.send(request, HttpResponse.BodyHandlers.ofString()).body();
                      if (outside) {
                        outsideSent.incrementAndGet();
                      }
                      if (!body.equals(outside ? "scheduled" : "200")) {
                        failures.incrementAndGet();
                      }
                    } catch (Exception e) {
                      failures.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get(10, TimeUnit.MINUTES);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (checker.outsideClean.get() + checker.outsideLeaked.get() < outsideSent.get()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "isolation: %d requests over %d connections in %.1f s; matched %d, mismatched %d,"
              + " failed %d; outside-request work clean %d, leaked %d%n",
          REQUESTS,
          CONNECTIONS,
          seconds,
          checker.matched.get(),
          checker.mismatched.get(),
          failures.get(),
          checker.outsideClean.get(),
          checker.outsideLeaked.get());

      assertThat(failures.get()).as("failed requests").isZero();
      assertThat(checker.mismatched.get()).as("mismatches: " + checker.examples).isZero();
      assertThat(checker.matched.get()).isEqualTo(REQUESTS - REQUESTS / OUTSIDE_EVERY);
      assertThat(checker.outsideLeaked.get()).as("leaks onto pooled work").isZero();
      assertThat(checker.outsideClean.get()).isEqualTo(REQUESTS / OUTSIDE_EVERY);
    } finally {
      load.shutdownNow();
      child.kill();
      checker.server.stop(0);
    }
  }
}
