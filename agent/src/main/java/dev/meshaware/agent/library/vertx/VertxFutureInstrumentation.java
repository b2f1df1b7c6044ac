package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.OwnedWork;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Across callbacks: a Vert.x future's listener ({@code onComplete}, {@code onSuccess}, {@code
 * compose}, {@code map}, {@code eventually}..., each registered through {@code
 * FutureImpl.addListener}) belongs to the request that registered it, and runs with that request's
 * headers, or with none when it was registered outside any request: not with those of the request
 * whose thread completes the promise. Ownership is recorded beside the listener, which stays the
 * application's own object.
 *
 * <p>A registration is recorded per future and listener, and consumed when that future calls that
 * listener: the record goes away with the call instead of waiting for the collector, and one
 * listener object on several futures (a stateless lambda) is a registration on each, never taken by
 * another future. A future already complete ({@code succeededFuture}) calls the listener at once,
 * on the adding request's thread, with no registration.
 *
 * <p>A listener fires from {@code FutureBase.emitResult} (5) or {@code emitSuccess}/{@code
 * emitFailure} (4.5): in place, or through a task handed to the future's context, which then
 * belongs to the listener's owner. Several listeners of one future are kept in one list, emitted at
 * once: they run with their common owner, or with none when their owners differ.
 */
public final class VertxFutureInstrumentation {
  private static final String FUTURE_IMPL = "io.vertx.core.impl.future.FutureImpl";

  private VertxFutureInstrumentation() {}

  /**
   * {@code FutureImpl.addListener}: the registrar owns this registration of the listener; {@code
   * removeListener} takes it back.
   */
  static final class Registration implements TypeInstrumentation {
    @Override
    public String name() {
      return "vertx-future-listener";
    }

    @Override
    public List<String> typeNames() {
      return List.of(FUTURE_IMPL);
    }

    @Override
    public List<AdviceSpec> advice() {
      String v5 = "io.vertx.core.Completable";
      String v4 = "io.vertx.core.impl.future.Listener";
      return List.of(
          AdviceSpec.method("addListener", RegisterAdvice.class, v5).asAlternative(),
          AdviceSpec.method("addListener", RegisterAdvice.class, v4).asAlternative(),
          AdviceSpec.method("removeListener", RemoveAdvice.class, v5).asAlternative(),
          AdviceSpec.method("removeListener", RemoveAdvice.class, v4).asAlternative());
    }
  }

  /** Where one listener (or the list of them) is called. */
  static final class Emission implements TypeInstrumentation {
    @Override
    public String name() {
      return "vertx-future-emit";
    }

    @Override
    public List<String> typeNames() {
      return List.of("io.vertx.core.impl.future.FutureBase");
    }

    @Override
    public List<AdviceSpec> advice() {
      return List.of(
          AdviceSpec.method(
                  "emitResult",
                  EmitResultAdvice.class,
                  "java.lang.Object",
                  "java.lang.Throwable",
                  "io.vertx.core.Completable")
              .asAlternative(),
          AdviceSpec.method(
                  "emitSuccess",
                  EmitAdvice.class,
                  "java.lang.Object",
                  "io.vertx.core.impl.future.Listener")
              .asAlternative(),
          AdviceSpec.method(
                  "emitFailure",
                  EmitAdvice.class,
                  "java.lang.Throwable",
                  "io.vertx.core.impl.future.Listener")
              .asAlternative());
    }
  }

  /** Records the current request (or none) as the owner of this registration on this future. */
  public static final class RegisterAdvice {
    private RegisterAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object future, @Advice.Argument(0) Object listener) {
      OwnedWork.listenerAdded(future, listener);
    }
  }

  /** A listener taken back from this future before it was called will not be. */
  public static final class RemoveAdvice {
    private RemoveAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object future, @Advice.Argument(0) Object listener) {
      OwnedWork.listenerRemoved(future, listener);
    }
  }

  /**
   * Vert.x 5: runs the listener (the third argument) with its owner's headers; the future's list of
   * listeners with their common owner's, or none.
   */
  public static final class EmitResultAdvice {
    private EmitResultAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object future, @Advice.Argument(2) Object listener) {
      return listener != null && listener.getClass().getName().endsWith("$ListenerArray")
          ? OwnedWork.enterListeners(future)
          : OwnedWork.enterListener(future, listener);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope) {
      OwnedWork.exit(scope);
    }
  }

  /** Vert.x 4.5: as {@link EmitResultAdvice}, the listener being the second argument. */
  public static final class EmitAdvice {
    private EmitAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object future, @Advice.Argument(1) Object listener) {
      return listener != null && listener.getClass().getName().endsWith("$ListenerArray")
          ? OwnedWork.enterListeners(future)
          : OwnedWork.enterListener(future, listener);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope) {
      OwnedWork.exit(scope);
    }
  }
}
