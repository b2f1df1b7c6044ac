package dev.meshaware.spring.actuate;

/**
 * One part of the {@code meshaware} actuator endpoint's report. Each feature's auto-configuration
 * contributes its own section bean, and the endpoint shows them all in their {@code @Order}: {@code
 * startup} 100, {@code propagation} 200; the listeners (bind check) and shutdown sections follow
 * with 300 and 400.
 */
public interface EndpointSection {

  /** The section's key in the report, e.g. {@code startup}. */
  String name();

  /** What the section reports now: a value Jackson writes as JSON (a record, a map). */
  Object report();
}
