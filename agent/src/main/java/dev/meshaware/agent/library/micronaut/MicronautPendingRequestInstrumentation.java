package dev.meshaware.agent.library.micronaut;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.OwnedWork;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * A call of Micronaut's HTTP client waiting for a connection: a {@code PendingRequest} of the
 * client's pool (Micronaut 4.10 has two pools, {@code Pool49} by default and {@code Pool40}). It is
 * made on the thread that makes the call; the pool completes it with a connection on whatever
 * thread has one to give: the caller's own when a connection is free, else a new connection's
 * set-up on its event loop or another call's release, and the call's request is written from inside
 * that completion. So the pending request carries its maker's request (or none), and its completion
 * runs with exactly that, never with the releasing call's.
 *
 * <p>Micronaut: {@code http-client/src/main/java/io/micronaut/http/client/netty/Pool49.java} and
 * {@code Pool40.java} ({@code createPendingRequest}, {@code PendingRequest.tryComplete}), {@code
 * ConnectionManager.java} ({@code connect} acquires through them).
 */
public final class MicronautPendingRequestInstrumentation implements TypeInstrumentation {
  private final String type;
  private final String pool;

  MicronautPendingRequestInstrumentation(String type, String pool) {
    this.type = type;
    this.pool = pool;
  }

  @Override
  public String name() {
    return "micronaut-client-pool";
  }

  @Override
  public List<String> typeNames() {
    return List.of(type);
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.constructor(MadeAdvice.class, pool, "io.micronaut.http.client.netty.BlockHint"),
        AdviceSpec.method(
            "tryComplete",
            CompleteAdvice.class,
            "io.micronaut.http.client.netty.ConnectionManager$PoolHandle"),
        AdviceSpec.method("tryCompleteExceptionally", CompleteAdvice.class, "java.lang.Throwable"));
  }

  /** The current request (or none) owns the call waiting for a connection. */
  public static final class MadeAdvice {
    private MadeAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object pending) {
      OwnedWork.defined(pending);
    }
  }

  /** The call gets its connection (or fails): what follows runs as the call's request. */
  public static final class CompleteAdvice {
    private CompleteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object pending) {
      return OwnedWork.enterDefined(pending);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope) {
      OwnedWork.exit(scope);
    }
  }
}
