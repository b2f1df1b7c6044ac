package dev.meshaware.spring;

import dev.meshaware.core.log.MeshLog;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;

/**
 * Adds one feature's interceptor or filter to the HTTP clients the application defines as beans
 * itself ({@code new RestTemplate()}, {@code RestClient.create()}, {@code
 * WebClient.builder()...build()}), which Spring Boot's customizers never see (see {@link
 * ClientCustomizerRegistrar} for the clients from Boot's builders). Subclasses, one per client
 * library, are registered only when their library is present, so that no class of an absent library
 * is ever loaded.
 *
 * <p>The application keeps its own object: a mutable client gets the hook added in place; an
 * immutable one is rebuilt through its own {@code mutate()}, which keeps everything it was built
 * with, and is kept as it is when the rebuilt client would be of another class. A client that
 * already has the hook (built from Boot's builders) is left alone, so the hook never runs twice.
 *
 * <p>It runs ahead of the ordinary post-processors ({@link PriorityOrdered}), so that one wrapping
 * a client in a proxy (an aspect's) wraps the client with the hook. A proxy it meets is left alone:
 * a scoped bean's proxy stands for a target that is a bean of its own, post-processed each time its
 * scope creates it, and rebuilding the proxy would replace it by a plain client.
 */
public abstract class ClientBeanPostProcessor implements BeanPostProcessor, PriorityOrdered {
  /** Where a hook goes among the client's own interceptors or filters. */
  public enum Position {
    /** Ahead of them: they see the request as it will be sent and may still change it. */
    FIRST,
    /** After them: closest to the wire. */
    LAST
  }

  /**
   * One feature's hook: what the warning calls it and what the client lacks without it (e.g.
   * "header forwarding", "its calls carry no forwarded headers"), and where it goes.
   */
  public static final class Hook {
    final String feature;
    final String withoutIt;
    final Position position;

    public Hook(String feature, String withoutIt, Position position) {
      this.feature = feature;
      this.withoutIt = withoutIt;
      this.position = position;
    }
  }

  private final Hook hook;

  protected ClientBeanPostProcessor(Hook hook) {
    this.hook = hook;
  }

  /** Whether {@code bean} is a client (or client builder) of this library. */
  protected abstract boolean accepts(Object bean);

  /** {@code client} with the hook: the same object, or one rebuilt by its own builder. */
  protected abstract Object withHook(Object client);

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public final Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!accepts(bean) || AopUtils.isAopProxy(bean)) {
      return bean;
    }
    try {
      return withHook(bean);
    } catch (RuntimeException e) {
      // Never fail the application's client: it works, only without this feature.
      MeshLog.warn(
          "could not add "
              + hook.feature
              + " to bean '"
              + beanName
              + "' ("
              + e
              + "); "
              + hook.withoutIt);
      return bean;
    }
  }

  /**
   * Adds {@code hook} to {@code hooks} (a client's interceptors or filters) unless one of {@code
   * type} is there already; true when it added one.
   */
  protected final <T> boolean addOnce(List<T> hooks, Class<?> type, Supplier<? extends T> hook) {
    for (T present : hooks) {
      if (type.isInstance(present)) {
        return false;
      }
    }
    hooks.add(this.hook.position == Position.FIRST ? 0 : hooks.size(), hook.get());
    return true;
  }

  /** {@code rebuilt}, when it is of the class {@code original} was; else an exception. */
  protected static <T> T sameClass(Object original, T rebuilt) {
    if (rebuilt.getClass() != original.getClass()) {
      throw new IllegalStateException(
          "its mutate() builds "
              + rebuilt.getClass().getName()
              + ", not "
              + original.getClass().getName()
              + "; the bean is kept as it is");
    }
    return rebuilt;
  }
}
