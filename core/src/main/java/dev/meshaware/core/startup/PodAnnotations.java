package dev.meshaware.core.startup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Reads a Kubernetes downward-API annotations file (lines of {@code key="value"}). The injector
 * writes {@code sidecar.istio.io/status} on every pod it gave a sidecar, so the file answers "is
 * there a sidecar?" exactly, where the status port can only be watched for a while.
 */
final class PodAnnotations {
  static final String SIDECAR_STATUS = "sidecar.istio.io/status";
  static final String AMBIENT_REDIRECTION = "ambient.istio.io/redirection";
  private static final long MAX_BYTES = 1 << 20;

  /** What the annotations say about a sidecar. */
  enum Finding {
    /** The injector added a sidecar: wait for it. */
    SIDECAR,
    /**
     * An ambient-mode pod: traffic goes through the node's ztunnel, there is nothing to wait for.
     */
    AMBIENT,
    /** No sidecar was injected. */
    NONE,
    /** The file could not be read; fall back to watching the status port. */
    UNREADABLE
  }

  private final Finding finding;
  private final String detail;

  private PodAnnotations(Finding finding, String detail) {
    this.finding = finding;
    this.detail = detail;
  }

  static PodAnnotations read(String file) {
    try {
      Path path = Paths.get(file);
      if (Files.size(path) > MAX_BYTES) {
        return new PodAnnotations(Finding.UNREADABLE, "larger than 1 MiB");
      }
      boolean ambient = false;
      for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
        String key = line.contains("=") ? line.substring(0, line.indexOf('=')).trim() : "";
        if (key.equals(SIDECAR_STATUS)) {
          return new PodAnnotations(Finding.SIDECAR, SIDECAR_STATUS + " present");
        }
        if (key.equals(AMBIENT_REDIRECTION) && line.contains("\"enabled\"")) {
          ambient = true;
        }
      }
      return ambient
          ? new PodAnnotations(Finding.AMBIENT, AMBIENT_REDIRECTION + "=enabled")
          : new PodAnnotations(Finding.NONE, "no " + SIDECAR_STATUS);
    } catch (IOException | RuntimeException e) {
      String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": ");
      return new PodAnnotations(
          Finding.UNREADABLE, reason + (e.getMessage() == null ? "" : e.getMessage()));
    }
  }

  Finding finding() {
    return finding;
  }

  String detail() {
    return detail;
  }
}
