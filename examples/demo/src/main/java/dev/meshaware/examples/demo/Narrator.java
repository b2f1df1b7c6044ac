package dev.meshaware.examples.demo;

import java.util.Locale;

/** Prints the demo's story, each line stamped with the time since the demo started. */
final class Narrator {
  private final long start = System.nanoTime();

  String elapsed() {
    return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9);
  }

  synchronized void title(String text) {
    System.out.println();
    System.out.println("== " + text);
  }

  synchronized void line(String text) {
    System.out.printf(Locale.ROOT, "[+%6.2fs] %s%n", (System.nanoTime() - start) / 1e9, text);
  }

  /** A line a service printed, e.g. {@code catalog | [meshaware] sidecar ready after ...}. */
  void from(String service, String text) {
    line(String.format(Locale.ROOT, "%-8s | %s", service, text));
  }
}
