package dev.meshaware.core.log;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Captures {@link MeshLog} lines for the duration of a test. */
public final class CapturedLog implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Consumer<String> previous;

  public CapturedLog() {
    previous = MeshLog.redirect(lines::add);
  }

  public List<String> lines() {
    return lines;
  }

  @Override
  public void close() {
    MeshLog.redirect(previous);
  }
}
