package dev.meshaware.spring.propagation;

import dev.meshaware.core.log.MeshLog;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Callbacks a future's completion runs for whoever registered them: a {@code CompletableFuture}'s
 * dependent stages ({@code thenApply}, {@code whenComplete}, {@code thenApplyAsync} handing its
 * stage to an executor...), Guava's and Spring's listenable futures' listeners, Netty's promise
 * listeners. They run on the completing thread, inside whatever scope that thread holds: a task
 * another request submitted to a decorated executor, another request's servlet thread. With the
 * starter alone the request that registered a callback is not known (the agent records it), so work
 * found running inside such a callback, nearer than the place where the thread's headers were made
 * current, gets none: a missing header is a gap, another request's would be a wrong route.
 *
 * <p>A scope meshaware opened inside the callback (a Reactor subscriber's own, for {@code
 * Mono.fromFuture}; a task's own) is the callback's: the walk stops there.
 */
final class CompletionCallbacks {
  /** How far up the calling stack a completion or a scope is looked for, from an outbound call. */
  static final int FRAMES = 128;

  /**
   * The same from an executor's submission, which is nearer the callback (no client library in
   * between) and more frequent.
   */
  static final int TASK_FRAMES = 64;

  private static final StackWalker STACK = StackWalker.getInstance(java.util.Set.of(), FRAMES);

  /** Where the starter makes a request's headers current for the code it calls. */
  private static final String[] SCOPE_FRAMES = {
    "dev.meshaware.core.propagation.PropagatingRunnable",
    "dev.meshaware.spring.propagation.ReactorHeaderScopes",
    "dev.meshaware.spring.propagation.HeaderCaptureFilter"
  };

  private static final AtomicBoolean TOLD = new AtomicBoolean();

  private CompletionCallbacks() {}

  /**
   * True when the caller runs inside a completion's callbacks that began after the thread's current
   * headers were made current: those headers are the completer's, not the callback's.
   */
  static boolean inAnotherCompletion() {
    return inAnotherCompletion(FRAMES);
  }

  /** {@link #inAnotherCompletion()} looking {@code frames} frames up at most. */
  static boolean inAnotherCompletion(int frames) {
    return STACK.walk(stack -> completionFirst(stack.limit(frames)));
  }

  /** {@link #inAnotherCompletion}, saying once per process what it means for a call. */
  static boolean callInAnotherCompletion() {
    if (!inAnotherCompletion()) {
      return false;
    }
    if (TOLD.compareAndSet(false, true)) {
      MeshLog.info(
          "a call made in a callback that another task's or request's completion ran (a"
              + " CompletableFuture stage, a listener, a subscriber of a Reactor sink that request"
              + " emitted into) went out without forwarded headers: the request that registered"
              + " the callback is not known here. Fix: make the call from the request's own code"
              + " or task, or from a step after the sink (.next(), .publishOn(...)); the agent"
              + " (-javaagent:meshaware-agent.jar) carries a future stage's own request. Said"
              + " once.");
    }
    return true;
  }

  private static boolean completionFirst(Stream<StackWalker.StackFrame> frames) {
    Iterator<StackWalker.StackFrame> each = frames.iterator();
    while (each.hasNext()) {
      StackWalker.StackFrame frame = each.next();
      String type = frame.getClassName();
      for (String scope : SCOPE_FRAMES) {
        if (type.startsWith(scope)) {
          return false;
        }
      }
      if (completes(type, frame.getMethodName())) {
        return true;
      }
    }
    return false;
  }

  /** A frame that runs callbacks registered by others, because a future completed. */
  private static boolean completes(String type, String method) {
    switch (type) {
      case "java.util.concurrent.CompletableFuture":
        return method.equals("postComplete");
      case "com.google.common.util.concurrent.AbstractFuture":
        return method.equals("complete");
      case "org.springframework.util.concurrent.ListenableFutureCallbackRegistry":
        return method.equals("success") || method.equals("failure");
      case "io.netty.util.concurrent.DefaultPromise":
        // Completion and progress listeners alike. A listener added to a promise already done is
        // run by the same methods, under addListener, together with any listener still waiting
        // for the completion's own notification (another request's): no registration is told
        // apart here.
        return method.startsWith("notify") && method.contains("Listener");
      default:
        return type.startsWith(REACTOR) && emits(type.substring(REACTOR.length()), method);
    }
  }

  private static final String REACTOR = "reactor.core.publisher.";

  /**
   * A Reactor sink's or processor's emission: {@code Sinks} (its {@code tryEmit*} and {@code emit*}
   * methods), the processors behind them and {@code Mono.share()}'s (their {@code on*} methods, as
   * subscribers of the pipeline whose signals they pass on).
   */
  private static boolean emits(String type, String method) {
    if (type.startsWith("Sink")) {
      return method.startsWith("tryEmit") || method.startsWith("emit");
    }
    if (type.endsWith("Processor")) {
      return method.equals("onNext") || method.equals("onError") || method.equals("onComplete");
    }
    return false;
  }
}
