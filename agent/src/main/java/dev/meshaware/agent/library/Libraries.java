package dev.meshaware.agent.library;

import dev.meshaware.agent.instrument.Library;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Every library the agent instruments, one entry each. */
public final class Libraries {
  private Libraries() {}

  /** All of them, in the startup report's order. */
  public static List<Library> all() {
    List<Library> all = new ArrayList<>();
    // one line per library: all.add(new NettyLibrary());
    all.add(new dev.meshaware.agent.library.undertow.UndertowLibrary());
    return Collections.unmodifiableList(all);
  }
}
