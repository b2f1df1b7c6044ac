package dev.meshaware.spring.propagation;

import dev.meshaware.core.propagation.SubscriberContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;

/**
 * Lets a request's headers ride in OpenTelemetry's {@link Context}: an application that already
 * moves that context across threads ({@code Context.taskWrapping}, Reactor's context-propagation
 * with OpenTelemetry) moves meshaware's headers with it. Only meshaware's own key is added; what
 * OpenTelemetry's propagators inject into a call is never touched.
 */
final class OpenTelemetryHeaderContext implements HeaderContext {
  private static final ContextKey<Object> KEY = ContextKey.named(SubscriberContext.KEY);

  @Override
  public RequestHeaders.Scope enter(Object value) {
    Scope scope = Context.current().with(KEY, value).makeCurrent();
    return scope::close;
  }

  @Override
  public Object current() {
    return Context.current().get(KEY);
  }
}
