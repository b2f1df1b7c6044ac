package example.isolation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A service for the isolation stress test. {@code GET /req?id=N&h=1|0&seed=S} runs a random {@link
 * HopPlan} (1 to 4 levels) over the executors of this app, and answers {@code ok <leaves>} once
 * every leaf called {@code <recorder>/rec/r<N>_<h|n>_<leaf>_<route>}: the request id and whether it
 * came with headers are taken from the query, held in local variables, never read from headers.
 * Some executors are made before serving, others are replaced now and then while serving a request;
 * the {@code CompletableFuture} hand-offs are completed by the next requests or the main thread.
 * While {@code /control?op=start} .. {@code stop}, the main thread also runs plans of its own,
 * outside any request ({@code o<K>_n_<leaf>_<route>}); the route names the hops a leaf came
 * through; {@code op=stats} answers how many leaves those had and how many hops failed.
 */
public final class StressApp {
  public static final String PORT = "APP-PORT ";
  private static final List<String> MADE_BEFORE =
      List.of(
          "fixed",
          "cached",
          "single",
          "scheduled",
          "work-stealing",
          "forkjoin",
          "forkjoin-submit",
          "common-pool",
          "tpe-priority",
          "tpe-callerruns",
          "lambda-factory",
          "methodref-factory",
          "helper-factory",
          "serial",
          "new-thread",
          "cf-run-async",
          "cf-run-async-pool",
          "cf-then-run-async-pool",
          "cf-delayed",
          "cf-delayed-pool",
          "spring-tpte",
          "spring-tpts",
          "spring-simple",
          "guava-factory",
          "guava-listening",
          "guava-sequential",
          "netty-group",
          "reactor-parallel",
          "reactor-bounded-elastic",
          "reactor-single",
          "grpc-serializing");
  private static final List<String> MADE_DURING =
      List.of("fixed", "lambda-factory", "helper-factory", "spring-tpte", "netty-group", "serial");

  private static final List<Subject> BEFORE = new ArrayList<>();
  private static final List<String> KINDS = new ArrayList<>(MADE_BEFORE);
  private static final AtomicReferenceArray<Subject> DURING = new AtomicReferenceArray<>(6);
  private static final BlockingQueue<CompletableFuture<Void>> HANDOFFS =
      new LinkedBlockingQueue<>();
  private static final AtomicLong OUTSIDE_LEAVES = new AtomicLong();
  private static final AtomicLong FAILED_HOPS = new AtomicLong();
  private static volatile boolean generating;

  private StressApp() {}

  public static void main(String[] args) throws Exception {
    if (Runtime.version().feature() >= 21) {
      KINDS.addAll(List.of("virtual-per-task", "spring-simple-virtual"));
    }
    for (String kind : KINDS) {
      Subject made = JdkSubjects.create(kind);
      BEFORE.add(made != null ? made : LibrarySubjects.create(kind));
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    server.createContext("/req", exchange -> answer(exchange, serve(exchange)));
    server.createContext("/control", exchange -> answer(exchange, control(exchange)));
    server.setExecutor(Executors.newFixedThreadPool(64));
    server.start();
    System.out.println(PORT + server.getAddress().getPort());
    Random random = new Random(1);
    long nextOutside = 0;
    for (int k = 0; ; ) {
      CompletableFuture<Void> handoff = HANDOFFS.poll(1, TimeUnit.MILLISECONDS);
      if (handoff != null) {
        handoff.complete(null);
      }
      if (generating && System.nanoTime() >= nextOutside) {
        HopPlan plan = HopPlan.random(random, 1 + random.nextInt(3), targets());
        OUTSIDE_LEAVES.addAndGet(plan.leaves());
        new Run("o" + k++ + "_n_", plan.leaves()).go(plan, "main");
        nextOutside = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
      }
    }
  }

  private static String serve(HttpExchange exchange) {
    Map<String, String> query = ExecutorApp.parse(exchange.getRequestURI().getRawQuery());
    String owner = "r" + query.get("id");
    boolean withHeaders = "1".equals(query.get("h"));
    Random random = new Random(Long.parseLong(query.get("seed")));
    // Stages other requests registered run here, on this request's thread.
    for (int i = 0; i < 2; i++) {
      CompletableFuture<Void> handoff = HANDOFFS.poll();
      if (handoff == null) {
        break;
      }
      handoff.complete(null);
    }
    if (random.nextInt(250) == 0) {
      int slot = random.nextInt(DURING.length());
      DURING.set(slot, create(MADE_DURING.get(slot)));
    }
    HopPlan plan = HopPlan.random(random, 1 + random.nextInt(4), targets());
    Run run = new Run(owner + (withHeaders ? "_h_" : "_n_"), plan.leaves());
    run.go(plan, "request");
    try {
      return run.done.await(60, TimeUnit.SECONDS)
          ? "ok " + plan.leaves()
          : "timeout: " + run.done.getCount() + " of " + plan.leaves() + " leaves missing";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static String control(HttpExchange exchange) {
    switch (ExecutorApp.parse(exchange.getRequestURI().getRawQuery()).get("op")) {
      case "start":
        generating = true;
        return "ok";
      case "stop":
        generating = false;
        return "ok";
      default:
        var os =
            (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return "outsideLeaves="
            + OUTSIDE_LEAVES.get()
            + " failedHops="
            + FAILED_HOPS.get()
            + " cpuMillis="
            + os.getProcessCpuTime() / 1_000_000;
    }
  }

  private static String nameOf(int target) {
    return target < BEFORE.size()
        ? KINDS.get(target)
        : "during-" + MADE_DURING.get(target - BEFORE.size());
  }

  private static int targets() {
    return BEFORE.size() + DURING.length();
  }

  /** The executor {@code target} of a plan: one made before serving, or one made during. */
  private static Subject executor(int target) {
    if (target < BEFORE.size()) {
      return BEFORE.get(target);
    }
    int slot = target - BEFORE.size();
    Subject subject = DURING.get(slot);
    if (subject == null) {
      DURING.compareAndSet(slot, null, create(MADE_DURING.get(slot)));
      subject = DURING.get(slot);
    }
    return subject;
  }

  private static Subject create(String kind) {
    try {
      Subject made = JdkSubjects.create(kind);
      return made != null ? made : LibrarySubjects.create(kind);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** One plan being run: the tag prefix of its owner, and its leaves still to call out. */
  private static final class Run {
    private final String prefix;
    private final AtomicInteger leaf = new AtomicInteger();
    final CountDownLatch done;

    Run(String prefix, int leaves) {
      this.prefix = prefix;
      this.done = new CountDownLatch(leaves);
    }

    /** Runs {@code node}, reached through the hops of {@code route} (names joined by dots). */
    void go(HopPlan node, String route) {
      try {
        switch (node.kind()) {
          case HopPlan.LEAF -> leaf(route);
          case HopPlan.FAN_OUT -> node.children().forEach(child -> go(child, route));
          case HopPlan.HANDOFF -> {
            CompletableFuture<Void> handoff = new CompletableFuture<>();
            handoff.thenRun(() -> go(node.children().get(0), route + ".handoff"));
            HANDOFFS.add(handoff);
          }
          default ->
              executor(node.target())
                  .run(() -> go(node.children().get(0), route + "." + nameOf(node.target())));
        }
      } catch (Throwable e) {
        if (FAILED_HOPS.incrementAndGet() <= 5) {
          System.out.println("STRESS hop failed: " + e);
        }
        for (int i = 0; i < node.leaves(); i++) {
          done.countDown();
        }
      }
    }

    private void leaf(String route) {
      Outbound.call(prefix + leaf.getAndIncrement() + "_" + route);
      done.countDown();
    }
  }

  private static void answer(HttpExchange exchange, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
