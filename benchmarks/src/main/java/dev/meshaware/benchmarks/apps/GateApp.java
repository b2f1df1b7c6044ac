package dev.meshaware.benchmarks.apps;

/** Prints the epoch millis at which {@code main} started: the end of the startup gate. */
public final class GateApp {
  private GateApp() {}

  public static void main(String[] args) {
    System.out.println("MAIN " + System.currentTimeMillis());
  }
}
