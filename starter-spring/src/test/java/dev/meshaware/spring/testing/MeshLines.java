package dev.meshaware.spring.testing;

import dev.meshaware.core.log.MeshLog;
import dev.meshaware.spring.SpringLogSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Collects every {@code [meshaware]} line while open (and still passes it on to the log). The
 * starter sends the lines to Spring's logging once per JVM; that happens first here, so an
 * application started while this is open cannot take the lines away.
 */
public final class MeshLines implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Consumer<String> previous;

  public MeshLines() {
    SpringLogSink.install();
    Consumer<String>[] next = new Consumer[1];
    previous =
        MeshLog.redirect(
            line -> {
              lines.add(line);
              next[0].accept(line);
            });
    next[0] = previous;
  }

  /** Every line so far. */
  public List<String> all() {
    return List.copyOf(lines);
  }

  /** The lines so far that contain {@code text}. */
  public List<String> containing(String text) {
    return lines.stream().filter(line -> line.contains(text)).toList();
  }

  @Override
  public void close() {
    MeshLog.redirect(previous);
  }
}
