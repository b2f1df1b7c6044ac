package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.apps.ServiceApp;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x service on ONE event loop (so that requests interleave on one thread), written against
 * the API Vert.x 4.5 and 5 share. {@code GET /call?path=P&hop=H&client=C[&appset=V]} goes through
 * hop {@code H}, then calls {@code <app.downstream>P} with client {@code C} ({@code httpclient} or
 * {@code webclient}); {@code appset} sets {@code x-b3-spanid} on the outbound call itself. Paths
 * under {@code /plain} are served by a request handler without a {@code Router}; a worker verticle
 * serves the same on the port it prints as {@code WORKER-PORT}.
 */
public final class VertxApp {
  private static Vertx vertx;
  private static HttpClient client;
  private static WebClient webClient;
  private static URI downstream;
  private static final Map<String, Promise<Void>> WAITING = new ConcurrentHashMap<>();
  private static final Queue<String> OUTSIDE = new ConcurrentLinkedQueue<>();
  private static final Map<String, Promise<String>> SHARED_WAITING = new ConcurrentHashMap<>();

  /**
   * A listener that captures nothing: the same object wherever it is registered. In a class of its
   * own, loaded only where Vert.x has {@code Completable} (5).
   */
  private static final class Shared {
    static final io.vertx.core.Completable<String> LISTENER =
        (path, failure) -> call("httpclient", path, null);

    static void register(Promise<String> target) {
      target.future().onComplete(LISTENER);
    }
  }

  private VertxApp() {}

  public static void main(String[] args) throws Exception {
    downstream = URI.create(System.getProperty("app.downstream"));
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    // Through reflection: 5 returns its HttpClientAgent here, 4.5 an HttpClient.
    client = (HttpClient) Vertx.class.getMethod("createHttpClient").invoke(vertx);
    webClient = WebClient.create(vertx);
    // Work of no request, on the same event loop: it must never carry a request's headers.
    vertx.setPeriodic(50, id -> drainOutside());

    Router router = Router.router(vertx);
    router
        .get("/call")
        .handler(
            ctx -> {
              ctx.put("seen", true);
              ctx.next();
            })
        .handler(ctx -> hop(ctx.request(), ctx.request().getParam("hop")));
    router.get("/blocking").blockingHandler(ctx -> callBlocking(ctx.request()));
    router.get("/body").handler(BodyHandler.create()).handler(ctx -> hop(ctx.request(), "direct"));
    int port =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  if (request.path().startsWith("/plain")) {
                    hop(request, request.getParam("hop"));
                  } else {
                    router.handle(request);
                  }
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS)
            .actualPort();

    String worker =
        vertx
            .deployVerticle(
                // by name: the other deployVerticle methods differ between 4.5 and 5
                WorkerServer.class.getName(),
                new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    System.out.println("deployed " + worker);
    System.out.println(ServiceApp.PORT + port);
  }

  /** Serves requests on a worker context. */
  public static final class WorkerServer extends AbstractVerticle {
    @Override
    public void start(Promise<Void> started) {
      vertx
          .createHttpServer()
          .requestHandler(
              request -> {
                if (!Thread.currentThread().getName().contains("worker")) {
                  request.response().setStatusCode(500).end("not on a worker");
                  return;
                }
                hop(request, request.getParam("hop"));
              })
          .listen(0, "127.0.0.1")
          .onSuccess(
              server -> {
                System.out.println("WORKER-PORT " + server.actualPort());
                started.complete();
              })
          .onFailure(started::fail);
    }
  }

  private static void hop(HttpServerRequest request, String hop) {
    String path = request.getParam("path");
    String clientName = request.getParam("client");
    String appSet = request.getParam("appset");
    switch (hop == null ? "direct" : hop) {
      case "direct":
        respond(request, call(clientName, path, appSet));
        break;
      case "chain":
        respond(
            request, call(clientName, path, appSet).compose(s -> call(clientName, path, appSet)));
        break;
      case "timer":
        Promise<Integer> fired = Promise.promise();
        vertx.setTimer(
            30, id -> call(clientName, path, appSet).onComplete(ar -> settle(fired, ar)));
        respond(request, fired.future());
        break;
      case "run-on-context":
        Promise<Integer> ran = Promise.promise();
        vertx
            .getOrCreateContext()
            .runOnContext(v -> call(clientName, path, appSet).onComplete(ar -> settle(ran, ar)));
        respond(request, ran.future());
        break;
      case "execute-blocking":
        respond(
            request,
            vertx.executeBlocking(
                () ->
                    call(clientName, path, appSet)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(20, TimeUnit.SECONDS)));
        break;
      case "periodic":
        long[] timer = new long[1];
        timer[0] =
            vertx.setPeriodic(
                30,
                id -> {
                  vertx.cancelTimer(timer[0]);
                  call(clientName, path, appSet);
                });
        request.response().end("scheduled");
        break;
      case "outside":
        OUTSIDE.add(path);
        request.response().end("scheduled");
        break;
      case "wait":
        // Registered by this request, completed by another one (hop=release, same key).
        Promise<Void> release = Promise.promise();
        WAITING.put(request.getParam("key"), release);
        System.out.println("WAITING " + request.getParam("key"));
        respond(request, release.future().compose(v -> call(clientName, path, appSet)));
        break;
      case "shared":
        // One stateless listener object for every request (Vert.x 5's onComplete(Completable)):
        // registered by this request, called when another one completes the promise with the
        // path to call.
        Promise<String> target = Promise.promise();
        SHARED_WAITING.put(request.getParam("key"), target);
        Shared.register(target);
        request.response().end("registered");
        break;
      case "release-shared":
        SHARED_WAITING.remove(request.getParam("key")).complete(request.getParam("target"));
        request.response().end("released");
        break;
      case "release":
        Promise<Void> waiting = WAITING.remove(request.getParam("key"));
        waiting.complete();
        respond(request, call(clientName, path, appSet));
        break;
      default:
        request.response().setStatusCode(400).end("unknown hop " + hop);
    }
  }

  private static void settle(Promise<Integer> promise, io.vertx.core.AsyncResult<Integer> ar) {
    if (ar.succeeded()) {
      promise.complete(ar.result());
    } else {
      promise.fail(ar.cause());
    }
  }

  private static void callBlocking(HttpServerRequest request) {
    try {
      int status =
          call(request.getParam("client"), request.getParam("path"), request.getParam("appset"))
              .toCompletionStage()
              .toCompletableFuture()
              .get(20, TimeUnit.SECONDS);
      request.response().end(String.valueOf(status));
    } catch (Exception e) {
      if (e instanceof java.util.concurrent.TimeoutException) {
        dumpThreads();
      }
      request.response().setStatusCode(500).end(e.toString());
    }
  }

  /** Prints every thread's stack: what a call that never completed left behind. */
  static void dumpThreads() {
    StringBuilder dump = new StringBuilder("THREADS\n");
    Thread.getAllStackTraces()
        .forEach(
            (thread, stack) -> {
              dump.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
              for (StackTraceElement frame : stack) {
                dump.append("    at ").append(frame).append('\n');
              }
            });
    System.out.println(dump);
  }

  private static void drainOutside() {
    for (String path; (path = OUTSIDE.poll()) != null; ) {
      call("httpclient", path, null);
    }
  }

  private static void respond(HttpServerRequest request, Future<Integer> status) {
    status.onComplete(
        ar -> {
          if (ar.succeeded()) {
            request.response().end(String.valueOf(ar.result()));
          } else {
            if (ar.cause() instanceof java.util.concurrent.TimeoutException) {
              dumpThreads();
            }
            request.response().setStatusCode(500).end(String.valueOf(ar.cause()));
          }
        });
  }

  /** One outbound call; its status code. */
  private static Future<Integer> call(String clientName, String path, String appSet) {
    if ("webclient".equals(clientName)) {
      var request = webClient.get(downstream.getPort(), downstream.getHost(), path);
      if (appSet != null) {
        request.putHeader("x-b3-spanid", appSet);
      }
      return request.send().map(response -> response.statusCode());
    }
    return client
        .request(HttpMethod.GET, downstream.getPort(), downstream.getHost(), path)
        .compose(
            request -> {
              if (appSet != null) {
                request.putHeader("x-b3-spanid", appSet);
              }
              return request.send();
            })
        // The status only: Vert.x before 5.1.6 drops the end of a response whose body() is asked
        // for after it ended, which a call made from a worker thread can do (vert.x#6038).
        .map(response -> response.statusCode());
  }
}
