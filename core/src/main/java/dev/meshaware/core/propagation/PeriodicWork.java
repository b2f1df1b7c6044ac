package dev.meshaware.core.propagation;

/**
 * What periodic work scheduled during a request carries ({@code meshaware.propagation.periodic}). A
 * task that repeats long after the request belongs to no request: by default it carries nothing, so
 * its calls start new traces instead of growing the first request's trace forever.
 */
public enum PeriodicWork {
  /** Periodic tasks and timers carry no headers (default). */
  NONE,
  /** Periodic tasks carry the headers of the request that scheduled them, on every run. */
  INHERIT
}
