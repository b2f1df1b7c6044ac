package dev.meshaware.agent.testing;

/** A minimal application: says when its {@code main} started, then ends. */
public final class GatedApp {
  /** Printed first thing in {@code main}, followed by the epoch millis. */
  public static final String STARTED = "APP-MAIN-STARTED ";

  private GatedApp() {}

  /** Printed second, followed by the {@code java.home} of the JVM that ran {@code main}. */
  public static final String JAVA_HOME = "APP-JAVA-HOME ";

  public static void main(String[] args) {
    System.out.println(STARTED + System.currentTimeMillis());
    System.out.println(JAVA_HOME + System.getProperty("java.home"));
  }

  /** The epoch millis a child printed with {@link #STARTED}. */
  public static long startedAt(Result result) {
    String line =
        result
            .firstLineContaining(STARTED)
            .orElseThrow(() -> new AssertionError("main never ran: " + result));
    return Long.parseLong(line.substring(line.indexOf(STARTED) + STARTED.length()).trim());
  }
}
