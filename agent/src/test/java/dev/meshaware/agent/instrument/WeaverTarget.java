package dev.meshaware.agent.instrument;

/** A class the weaver tests weave: stands in for a library class. */
public class WeaverTarget {
  public String greet(String name) {
    return "hello " + name;
  }

  public int count(int n) {
    return n + 1;
  }
}
