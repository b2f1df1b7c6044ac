package example.isolation;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code CompletableFuture} stages: registered by one request, run by whichever thread completes
 * the future (another request's, the main thread, the JDK's delay thread). Futures are kept by key
 * between requests.
 */
final class Stages {
  private static final Map<String, CompletableFuture<String>> FUTURES = new ConcurrentHashMap<>();
  private static final ExecutorService POOL = Executors.newFixedThreadPool(2);

  private Stages() {}

  static void create(String key) {
    FUTURES.put(key, new CompletableFuture<>());
  }

  static void complete(String key, boolean failed) {
    CompletableFuture<String> future = FUTURES.get(key);
    if (failed) {
      future.completeExceptionally(new IllegalStateException("failed on purpose"));
    } else {
      future.complete("done");
    }
  }

  /**
   * Registers {@code stage} on the future {@code key} (and {@code other}), calling out with {@code
   * tag}; keeps the stage's own future as {@code as}, when given, for later stages.
   */
  @SuppressWarnings("unchecked")
  static void register(String stage, String key, String other, String tag, String as) {
    CompletableFuture<String> f = FUTURES.get(key);
    CompletableFuture<String> g = other == null ? null : FUTURES.get(other);
    Runnable call = () -> Outbound.call(tag);
    CompletionStage<?> registered =
        switch (stage) {
          case "thenApply" -> f.thenApply(v -> then(call, v));
          case "thenAccept" -> f.thenAccept(v -> call.run());
          case "thenRun" -> f.thenRun(call);
          case "thenCompose" ->
              f.thenCompose(v -> CompletableFuture.completedFuture(then(call, v)));
          case "whenComplete" -> f.whenComplete((v, e) -> call.run());
          case "handle" -> f.handle((v, e) -> then(call, v));
          case "exceptionally" -> f.exceptionally(e -> then(call, "recovered"));
          case "exceptionallyCompose" ->
              f.exceptionallyCompose(
                  e -> CompletableFuture.completedFuture(then(call, "recovered")));
          case "thenCombine" -> f.thenCombine(g, (a, b) -> then(call, a));
          case "thenAcceptBoth" -> f.thenAcceptBoth(g, (a, b) -> call.run());
          case "runAfterBoth" -> f.runAfterBoth(g, call);
          case "applyToEither" -> f.applyToEither(g, v -> then(call, v));
          case "acceptEither" -> f.acceptEither(g, v -> call.run());
          case "runAfterEither" -> f.runAfterEither(g, call);
          case "thenApplyAsync" -> f.thenApplyAsync(v -> then(call, v));
          case "thenAcceptAsync" -> f.thenAcceptAsync(v -> call.run());
          case "thenRunAsync" -> f.thenRunAsync(call);
          case "thenComposeAsync" ->
              f.thenComposeAsync(v -> CompletableFuture.completedFuture(then(call, v)));
          case "whenCompleteAsync" -> f.whenCompleteAsync((v, e) -> call.run());
          case "handleAsync" -> f.handleAsync((v, e) -> then(call, v));
          case "exceptionallyAsync" -> f.exceptionallyAsync(e -> then(call, "recovered"));
          case "thenCombineAsync" -> f.thenCombineAsync(g, (a, b) -> then(call, a));
          case "runAfterBothAsync" -> f.runAfterBothAsync(g, call);
          case "applyToEitherAsync" -> f.applyToEitherAsync(g, v -> then(call, v));
          case "runAfterEitherAsync" -> f.runAfterEitherAsync(g, call);
          case "thenApplyAsync-pool" -> f.thenApplyAsync(v -> then(call, v), POOL);
          case "thenRunAsync-pool" -> f.thenRunAsync(call, POOL);
          case "whenCompleteAsync-pool" -> f.whenCompleteAsync((v, e) -> call.run(), POOL);
          case "handleAsync-pool" -> f.handleAsync((v, e) -> then(call, v), POOL);
          case "exceptionallyAsync-pool" ->
              f.exceptionallyAsync(e -> then(call, "recovered"), POOL);
          case "thenAcceptBothAsync-pool" -> f.thenAcceptBothAsync(g, (a, b) -> call.run(), POOL);
          case "acceptEitherAsync-pool" -> f.acceptEitherAsync(g, v -> call.run(), POOL);
          default -> throw new IllegalArgumentException("unknown stage " + stage);
        };
    registered.exceptionally(Stages::report);
    if (as != null) {
      FUTURES.put(as, (CompletableFuture<String>) registered.toCompletableFuture());
    }
  }

  /**
   * A future that times out after {@code millis} on the JDK's delay thread ({@code orTimeout} or
   * {@code completeOnTimeout}), with a stage registered now; {@code key} names an existing future
   * to use (one another request may complete first), else a new one is made.
   */
  static void timeout(String kind, String key, long millis, String tag) {
    CompletableFuture<String> f = key == null ? new CompletableFuture<>() : FUTURES.get(key);
    CompletableFuture<String> timed =
        switch (kind) {
          case "orTimeout" -> f.orTimeout(millis, TimeUnit.MILLISECONDS);
          case "completeOnTimeout" -> f.completeOnTimeout("late", millis, TimeUnit.MILLISECONDS);
          default -> throw new IllegalArgumentException("unknown timeout " + kind);
        };
    timed.whenComplete((v, e) -> Outbound.call(tag)).exceptionally(Stages::report);
  }

  private static String then(Runnable call, String value) {
    call.run();
    return value;
  }

  private static <T> T report(Throwable failure) {
    if (!(failure.getCause() instanceof IllegalStateException)
        && !(failure instanceof IllegalStateException)
        && !(failure.getCause() instanceof java.util.concurrent.TimeoutException)) {
      failure.printStackTrace();
    }
    return null;
  }
}
