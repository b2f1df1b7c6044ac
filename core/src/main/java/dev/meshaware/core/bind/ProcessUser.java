package dev.meshaware.core.bind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;

/**
 * The effective user id of this process, which Istio's iptables rules match to tell the proxy's own
 * traffic (UID {@value #PROXY_UID}) from the application's. Read from {@code /proc/self/status}:
 * Java has no portable way to ask, and a pod is always Linux.
 */
public final class ProcessUser {
  /** The user the Istio proxy runs as; its outbound traffic is not redirected to the proxy. */
  public static final int PROXY_UID = 1337;

  /** The Linkerd proxy's user, whose traffic Linkerd's redirection lets through uncaptured. */
  public static final int LINKERD_PROXY_UID = 2102;

  /** Returned when the user id cannot be read (not Linux). */
  public static final int UNKNOWN = -1;

  private ProcessUser() {}

  /** This process's effective user id, or {@link #UNKNOWN}. */
  public static int effectiveUid() {
    try {
      return effectiveUid(
          Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  /**
   * The effective user id in the lines of a {@code /proc/<pid>/status} file: the second number of
   * its {@code Uid:} line (real, effective, saved, filesystem).
   */
  static int effectiveUid(List<String> statusLines) {
    for (String line : statusLines) {
      if (line.startsWith("Uid:")) {
        String[] ids = line.substring(4).trim().split("\\s+");
        if (ids.length >= 2) {
          try {
            return Integer.parseInt(ids[1]);
          } catch (NumberFormatException e) {
            return UNKNOWN;
          }
        }
      }
    }
    return UNKNOWN;
  }
}
