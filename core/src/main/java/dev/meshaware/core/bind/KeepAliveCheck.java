package dev.meshaware.core.bind;

import dev.meshaware.core.log.MeshLog;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The entry point server instrumentation calls once a server listens, with the idle keep-alive
 * timeout it has: one line per port where the server closes idle connections before the sidecar,
 * and both numbers in the startup report's listeners. Installed with the listen-address check, only
 * where a sidecar may be; silent otherwise. Never throws.
 */
public final class KeepAliveCheck {
  private static final int MAX_PORTS = 64;
  private static final Set<Integer> JUDGED = new HashSet<>();
  private static volatile KeepAlivePolicy policy;

  private KeepAliveCheck() {}

  /** Turns the check on with {@code newPolicy}; null turns it off. */
  public static void install(KeepAlivePolicy newPolicy) {
    policy = newPolicy;
    synchronized (JUDGED) {
      JUDGED.clear();
    }
  }

  /** True when the check is on: edges read a server's settings only then. */
  public static boolean isActive() {
    return policy != null;
  }

  /**
   * {@code server} listens on {@code port} and closes idle keep-alive connections after {@code
   * idleTimeout} (null, zero or negative: never). Port 0 (a port the system chose, no Service's
   * target) and a port already judged are skipped.
   */
  public static void listening(KeepAlivePolicy.Server server, int port, Duration idleTimeout) {
    KeepAlivePolicy active = policy;
    if (active == null || port <= 0) {
      return;
    }
    try {
      synchronized (JUDGED) {
        if (JUDGED.size() >= MAX_PORTS || !JUDGED.add(port)) {
          return;
        }
      }
      ListenersReportSection.recordIdleTimeout(port, active.reportText(server, idleTimeout));
      String message = active.message(server, port, idleTimeout);
      if (message != null) {
        MeshLog.info(message);
      }
    } catch (RuntimeException e) {
      MeshLog.debug("cannot check a server's keep-alive timeout: " + e);
    }
  }
}
