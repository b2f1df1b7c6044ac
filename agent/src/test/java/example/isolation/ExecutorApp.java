package example.isolation;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A service for the executor conformance tests. Every request to {@code /op?op=...} is served on a
 * JDK {@code HttpServer} thread (so with the agent it is a request with the headers it came with)
 * or, with {@code where=outside}, handed to the main thread, which serves no request. Work ends in
 * an {@link Outbound} call tagged by the test. Operations:
 *
 * <ul>
 *   <li>{@code submit&subject=S&inst=I&tag=T[&n=N][&seq=1][&wait=0]}: hands N tasks to executor
 *       instance I (made from S on first use, in the current context), waits for them unless {@code
 *       wait=0}; {@code seq=1} waits for each before the next;
 *   <li>{@code create&subject=S&inst=I}: makes executor instance I now, in the current context;
 *   <li>{@code fill&subject=S&inst=I&tag=T}: as many tasks as the executor has workers, each
 *       waiting for the others, so that every worker exists and ran one;
 *   <li>{@code gate&subject=S&inst=I&gate=G} and {@code release&gate=G}: occupy every worker until
 *       released, so that later tasks wait in the queue;
 *   <li>{@code objects&family=F}: {@link AppObjects};
 *   <li>{@code periodic&kind=K&tag=T}: {@link Periodic};
 *   <li>{@code future&key=K}, {@code register&stage=S&key=K[&other=K2][&as=K3]&tag=T}, {@code
 *       complete&key=K[&failed=1]}, {@code timeout&kind=K&millis=M[&key=K]&tag=T}: {@link Stages}.
 * </ul>
 *
 * Answers {@code ok} (or the objects' lines), else {@code error ...}. Prints {@code APP-PORT
 * <port>} once serving.
 */
public final class ExecutorApp {
  public static final String PORT = "APP-PORT ";
  private static final long WAIT_SECONDS = 15;
  private static final BlockingQueue<Runnable> OUTSIDE = new LinkedBlockingQueue<>();
  private static final Map<String, Subject> INSTANCES = new ConcurrentHashMap<>();
  private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

  private ExecutorApp() {}

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    server.createContext(
        "/op",
        exchange -> {
          byte[] body =
              answer(parse(exchange.getRequestURI().getRawQuery()))
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(32));
    server.start();
    System.out.println(PORT + server.getAddress().getPort());
    while (true) {
      OUTSIDE.take().run();
    }
  }

  private static String answer(Map<String, String> params) {
    try {
      if ("outside".equals(params.get("where"))) {
        FutureTask<String> onMain = new FutureTask<>(() -> operate(params));
        OUTSIDE.add(onMain);
        return onMain.get(60, TimeUnit.SECONDS);
      }
      return operate(params);
    } catch (Throwable e) {
      e.printStackTrace();
      return "error " + e;
    }
  }

  private static String operate(Map<String, String> p) throws Exception {
    String tag = p.get("tag");
    switch (p.get("op")) {
      case "submit":
        return submit(p, tag);
      case "create":
        instance(p);
        return "ok";
      case "fill":
        return fill(instance(p), tag);
      case "gate":
        return gate(instance(p), p.get("gate"));
      case "release":
        GATES.remove(p.get("gate")).countDown();
        return "ok";
      case "objects":
        return AppObjects.check(p.get("family"));
      case "future":
        Stages.create(p.get("key"));
        return "ok";
      case "register":
        Stages.register(p.get("stage"), p.get("key"), p.get("other"), tag, p.get("as"));
        return "ok";
      case "complete":
        Stages.complete(p.get("key"), "1".equals(p.get("failed")));
        return "ok";
      case "periodic":
        Periodic.schedule(p.get("kind"), tag);
        return "ok";
      case "timeout":
        Stages.timeout(p.get("kind"), p.get("key"), Long.parseLong(p.get("millis")), tag);
        return "ok";
      default:
        throw new IllegalArgumentException("unknown op " + p.get("op"));
    }
  }

  private static String submit(Map<String, String> p, String tag) throws Exception {
    Subject subject = instance(p);
    int n = Integer.parseInt(p.getOrDefault("n", "1"));
    boolean wait = !"0".equals(p.get("wait"));
    boolean sequential = "1".equals(p.get("seq"));
    CountDownLatch done = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      String each = n == 1 ? tag : tag + "-" + i;
      subject.run(
          () -> {
            try {
              Outbound.call(each);
            } finally {
              done.countDown();
            }
          });
      if (sequential && !awaitCount(done, n - i - 1)) {
        return "timeout waiting for " + each;
      }
    }
    return !wait || done.await(WAIT_SECONDS, TimeUnit.SECONDS) ? "ok" : "timeout";
  }

  private static String fill(Subject subject, String tag) throws Exception {
    int n = subject.threads();
    CyclicBarrier together = new CyclicBarrier(n);
    CountDownLatch done = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      String each = tag + "-" + i;
      subject.run(
          () -> {
            try {
              Outbound.call(each);
              together.await(5, TimeUnit.SECONDS);
            } catch (Exception e) {
              System.out.println("fill " + each + ": workers not all busy at once: " + e);
            } finally {
              done.countDown();
            }
          });
    }
    return done.await(WAIT_SECONDS, TimeUnit.SECONDS) ? "ok" : "timeout";
  }

  private static String gate(Subject subject, String name) throws Exception {
    CountDownLatch open = new CountDownLatch(1);
    GATES.put(name, open);
    CountDownLatch started = new CountDownLatch(subject.threads());
    for (int i = 0; i < subject.threads(); i++) {
      subject.run(
          () -> {
            started.countDown();
            try {
              open.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    return started.await(WAIT_SECONDS, TimeUnit.SECONDS) ? "ok" : "timeout";
  }

  private static boolean awaitCount(CountDownLatch latch, long count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (latch.getCount() > count) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }

  private static Subject instance(Map<String, String> p) throws Exception {
    String name = p.get("inst");
    Subject existing = INSTANCES.get(name);
    if (existing != null) {
      return existing;
    }
    String kind = p.get("subject");
    Subject made = JdkSubjects.create(kind);
    if (made == null) {
      made = LibrarySubjects.create(kind);
    }
    if (made == null) {
      throw new IllegalArgumentException("unknown subject " + kind);
    }
    Subject raced = INSTANCES.putIfAbsent(name, made);
    return raced != null ? raced : made;
  }

  static Map<String, String> parse(String query) {
    Map<String, String> params = new HashMap<>();
    for (String pair : query == null ? new String[0] : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(
            pair.substring(0, eq),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }
}
