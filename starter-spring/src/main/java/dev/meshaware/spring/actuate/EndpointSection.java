package dev.meshaware.spring.actuate;

/**
 * One part of the {@code meshaware} actuator endpoint's report. Each feature's auto-configuration
 * contributes its own section bean, and the endpoint shows them all in their {@code @Order}: {@code
 * startup} 100, {@code propagation} 200, {@code listeners} (bind check) 300, {@code shutdown} 400,
 * {@code diagnostics} 500.
 */
public interface EndpointSection {

  /** The section's key in the report, e.g. {@code startup}. */
  String name();

  /** What the section reports now: a value Jackson writes as JSON (a record, a map). */
  Object report();
}
