package dev.meshaware.spring.propagation;

/**
 * A context the application already carries across threads itself (OpenTelemetry's), in which a
 * request's headers ride as well as in core's thread-local: code that hands that context to another
 * thread hands meshaware's headers along with it.
 */
public interface HeaderContext {

  /**
   * Puts {@code value} (what {@code SubscriberContext.valueFor} makes of the request's headers) in
   * the current context until the returned scope closes.
   */
  RequestHeaders.Scope enter(Object value);

  /** The value current in this context, or null when no request put one there. */
  Object current();
}
