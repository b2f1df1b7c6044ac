package dev.meshaware.agent.library.undertow;

import dev.meshaware.agent.apps.Clients;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An application on Undertow's own API, for a child JVM: one I/O thread and one worker thread, so
 * that requests interleave on the same threads. Prints {@value #VERSION} with Undertow's version
 * and {@value #PORT} with its port; with {@code app.servlet=true} Undertow's servlet layer serves
 * {@code /servlet} ({@link UndertowServletDeployment}).
 *
 * <ul>
 *   <li>{@code /call?client=C&path=P[&appset=V][&host=H][&on=O][&io=P2][&wait=N][&ms=M]} calls
 *       {@code <downstream>P} with client C and answers with the status. {@code on} says where:
 *       {@code io} (the handler on the I/O thread, default), {@code handler} ({@code
 *       exchange.dispatch(HttpHandler)}), {@code runnable} ({@code exchange.dispatch(Runnable)}),
 *       {@code executor} ({@code exchange.dispatch(Executor, Runnable)} with an executor of the
 *       application's), {@code later} (dispatched to Undertow's {@code SameThreadExecutor},
 *       answered {@code ms} later from a scheduler of the application's, the handler long
 *       returned). {@code io} first calls {@code P2} on the I/O thread, before dispatching; {@code
 *       wait} prints {@code ARRIVED N} where the call is about to be made and waits for {@code
 *       /release?name=N}; {@code ms} sleeps that long first; {@code tell=N} prints {@code ARRIVED
 *       N} as the request arrives.
 *   <li>{@code /release?name=N} lets the request waiting on N go on.
 *   <li>{@code /leftover?path=P} answers, then calls {@code P/io} from a task on the I/O thread and
 *       {@code P/worker} from a task that task hands to the worker pool: work of no request.
 * </ul>
 */
public final class UndertowApp {
  public static final String PORT = "APP-PORT ";
  public static final String ARRIVED = "ARRIVED ";
  public static final String VERSION = "UNDERTOW-VERSION ";

  private static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();
  private static final ExecutorService APP_EXECUTOR = Executors.newSingleThreadExecutor();
  private static final ScheduledExecutorService LATER = Executors.newScheduledThreadPool(1);

  private UndertowApp() {}

  public static void main(String[] args) throws Exception {
    Undertow server =
        Undertow.builder()
            .setIoThreads(1)
            .setWorkerThreads(1)
            .addHttpListener(0, "127.0.0.1")
            .setHandler(handler())
            .build();
    server.start();
    int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    System.out.println(VERSION + io.undertow.Version.getVersionString());
    System.out.println(PORT + port);
    new CountDownLatch(1).await();
  }

  /** With {@code app.servlet=true}, Undertow's servlet layer serves {@code /servlet}. */
  private static HttpHandler handler() throws Exception {
    if (!Boolean.getBoolean("app.servlet")) {
      return UndertowApp::route;
    }
    return io.undertow.Handlers.path(UndertowApp::route)
        .addPrefixPath("/servlet", UndertowServletDeployment.start());
  }

  private static void route(HttpServerExchange exchange) throws Exception {
    Map<String, String> params = parse(exchange.getQueryString());
    if (params.containsKey("tell")) {
      System.out.println(ARRIVED + params.get("tell"));
    }
    switch (exchange.getRequestPath()) {
      case "/release":
        latch(params.get("name")).countDown();
        exchange.getResponseSender().send("released");
        return;
      case "/leftover":
        leftover(exchange, params.get("path"));
        return;
      default:
        call(exchange, params);
    }
  }

  private static void call(HttpServerExchange exchange, Map<String, String> params)
      throws Exception {
    if (params.containsKey("io")) {
      outbound(params, params.get("io"));
    }
    HttpHandler handler = worker -> answer(worker, params);
    switch (params.getOrDefault("on", "io")) {
      case "handler":
        exchange.dispatch(handler);
        break;
      case "runnable":
        exchange.dispatch(() -> answer(exchange, params));
        break;
      case "executor":
        exchange.dispatch(APP_EXECUTOR, () -> answer(exchange, params));
        break;
      case "later":
        long ms = Long.parseLong(params.getOrDefault("ms", "10"));
        exchange.dispatch(
            SameThreadExecutor.INSTANCE,
            () -> LATER.schedule(() -> answer(exchange, params), ms, TimeUnit.MILLISECONDS));
        break;
      default:
        answer(exchange, params);
    }
  }

  private static void answer(HttpServerExchange exchange, Map<String, String> params) {
    String body;
    try {
      if (params.containsKey("ms") && !"later".equals(params.get("on"))) {
        Thread.sleep(Long.parseLong(params.get("ms")));
      }
      if (params.containsKey("wait")) {
        System.out.println(ARRIVED + params.get("wait"));
        if (!latch(params.get("wait")).await(20, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released: " + params.get("wait"));
        }
      }
      body = String.valueOf(params.containsKey("path") ? outbound(params, params.get("path")) : 0);
    } catch (Exception e) {
      e.printStackTrace();
      body = "error " + e;
    }
    exchange.getResponseSender().send(body);
  }

  private static int outbound(Map<String, String> params, String path) throws Exception {
    String base = System.getProperty("app.downstream");
    if (params.containsKey("host")) {
      base = base.replace("127.0.0.1", params.get("host"));
    }
    return Clients.call(params.getOrDefault("client", "jdk"), base + path, params.get("appset"));
  }

  /** Answers, then calls out from the I/O thread and from the worker pool outside any request. */
  private static void leftover(HttpServerExchange exchange, String path) {
    Map<String, String> params = Map.of("client", "jdk");
    exchange.getResponseSender().send("scheduled");
    exchange
        .getIoThread()
        .execute(
            () -> {
              try {
                outbound(params, path + "/io");
              } catch (Exception e) {
                e.printStackTrace();
              }
              exchange
                  .getConnection()
                  .getWorker()
                  .execute(
                      () -> {
                        try {
                          outbound(params, path + "/worker");
                        } catch (Exception e) {
                          e.printStackTrace();
                        }
                      });
            });
  }

  private static CountDownLatch latch(String name) {
    return LATCHES.computeIfAbsent(name, n -> new CountDownLatch(1));
  }

  private static Map<String, String> parse(String query) {
    Map<String, String> params = new HashMap<>();
    if (query == null || query.isEmpty()) {
      return params;
    }
    for (String pair : query.split("&")) {
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
