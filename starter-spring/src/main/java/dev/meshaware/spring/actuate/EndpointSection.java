package dev.meshaware.spring.actuate;

/**
 * One part of the {@code meshaware} actuator endpoint's report (startup, propagation...). Each
 * feature's auto-configuration contributes its own section bean; the endpoint shows them all in
 * their order.
 */
public interface EndpointSection {

  /** The section's key in the report, e.g. {@code startup}. */
  String name();

  /** What the section reports now: a value Jackson writes as JSON (a record, a map). */
  Object report();
}
