package dev.meshaware.spring.startup;

/** Lets tests in other packages run the once-per-JVM gate again. */
public final class StartupRecords {
  private StartupRecords() {}

  public static void forget() {
    StartupRecord.forget();
  }
}
