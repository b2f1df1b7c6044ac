package dev.meshaware.core.bind;

/** The verdict on one server socket, with the reason and the fix for the operator. */
public final class BindFinding {
  private static final BindFinding OK = new BindFinding(BindVerdict.OK, "", 0, "");

  private final BindVerdict verdict;
  private final String address;
  private final int port;
  private final String explanation;

  private BindFinding(BindVerdict verdict, String address, int port, String explanation) {
    this.verdict = verdict;
    this.address = address;
    this.port = port;
    this.explanation = explanation;
  }

  static BindFinding ok() {
    return OK;
  }

  /** A problem with the socket at {@code address} (as printed) and {@code port}. */
  static BindFinding problem(BindVerdict verdict, String address, int port, String explanation) {
    return new BindFinding(verdict, address, port, explanation);
  }

  /** What the socket's address and port mean beside a sidecar. */
  public BindVerdict verdict() {
    return verdict;
  }

  /**
   * The line for the operator: which socket, who bound it ({@code boundAt}, a stack frame), why it
   * matters and the fix.
   */
  public String message(String boundAt) {
    return "server socket " + address + ":" + port + " (bound at " + boundAt + ") " + explanation;
  }

  @Override
  public String toString() {
    return verdict + (explanation.isEmpty() ? "" : ": " + explanation);
  }
}
