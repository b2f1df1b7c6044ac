package dev.meshaware.core.bind;

/** What the listen-address check does about a bad server socket ({@code meshaware.bind.check}). */
public enum BindCheckMode {
  /** One line per bad server socket; the socket listens as asked. */
  WARN,
  /** The bind fails with a {@link java.net.BindException} carrying the same message. */
  FAIL,
  /** No check. */
  OFF
}
