package dev.meshaware.spring;

import dev.meshaware.core.log.MeshLog;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Sends meshaware's lines to the application's logging (logger {@code dev.meshaware}) instead of
 * stderr. The agent writes to stderr because it runs before any logging exists; a Spring Boot
 * application has its logging set up by the time the starter speaks, and its operators read the log
 * it configures (JSON, levels, appenders), where a bare stderr line would break the format. Each
 * line keeps its {@code [meshaware]} prefix so it can still be found with grep.
 */
public final class SpringLogSink implements Consumer<String> {
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();
  private static final String WARNING = MeshLog.PREFIX + "WARNING ";
  private static final String ERROR = MeshLog.PREFIX + "ERROR ";

  private final Log log = LogFactory.getLog("dev.meshaware");

  /** Redirects {@link MeshLog}, once per JVM; MeshLog is process-wide. */
  public static void install() {
    if (INSTALLED.compareAndSet(false, true)) {
      MeshLog.redirect(new SpringLogSink());
    }
  }

  @Override
  public void accept(String line) {
    if (line.startsWith(ERROR)) {
      log.error(line);
    } else if (line.startsWith(WARNING)) {
      log.warn(line);
    } else {
      // DEBUG lines too: meshaware.debug=true already chose to show them.
      log.info(line);
    }
  }
}
