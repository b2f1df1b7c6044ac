package dev.meshaware.agent.instrument.practice;

/**
 * A class the agent weaves once, on its background thread, and throws away: the first real target
 * then finds the weaving machinery loaded and run once. It is read as bytes, never loaded.
 */
public class PracticeTarget {
  private String last;

  /** A method with a loop, a handler and a return value, like the methods the agent advises. */
  public String call(String name, int times) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < times; i++) {
      try {
        out.append(name.charAt(i));
      } catch (RuntimeException e) {
        out.append('?');
      }
    }
    last = out.toString();
    return last;
  }
}
