package dev.meshaware.core.bind;

import dev.meshaware.core.log.MeshLog;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * The entry points that server-socket instrumentation calls around a bind that will listen: {@link
 * #refusal} before it (the {@code fail} mode refuses there, so nothing is ever bound), {@link
 * #bound} after it succeeded (the {@code warn} mode reports there, so a bind that fails anyway is
 * not reported). Cheap and silent when the check is off; binds are rare, so the stack walk that
 * names the binding code costs nothing that matters.
 */
public final class BindAddressCheck {
  private static volatile ListenAddressPolicy policy;

  private BindAddressCheck() {}

  /**
   * Turns the check on with {@code newPolicy}, and the keep-alive check with its {@link
   * ListenAddressPolicy#keepAlive()}; null turns both off.
   */
  public static void install(ListenAddressPolicy newPolicy) {
    policy = newPolicy;
    KeepAliveCheck.install(newPolicy == null ? null : newPolicy.keepAlive());
  }

  /**
   * Before a server socket binds to {@code requested}: in {@code fail} mode, the exception that
   * refuses a bad one (and its line in the log); otherwise null, and the bind goes ahead.
   */
  public static BindException refusal(SocketAddress requested) {
    ListenAddressPolicy active = policy;
    if (active == null || active.mode() != BindCheckMode.FAIL) {
      return null;
    }
    BindFinding finding = classify(active, requested);
    if (finding == null || !finding.verdict().isProblem()) {
      return null;
    }
    String message = "refused to listen (meshaware.bind.check=fail): " + finding.message(boundAt());
    MeshLog.error(message);
    return new BindException("[meshaware] " + message);
  }

  /** After a server socket bound to {@code requested}: in {@code warn} mode, reports a bad one. */
  public static void bound(SocketAddress requested) {
    ListenAddressPolicy active = policy;
    if (active == null) {
      return;
    }
    BindFinding finding = classify(active, requested);
    if (finding != null && requested instanceof InetSocketAddress) {
      InetSocketAddress address = (InetSocketAddress) requested;
      ListenersReportSection.record(
          address.getAddress().getHostAddress()
              + ":"
              + (address.getPort() == 0 ? "(a port the system chose)" : address.getPort()),
          finding.verdict());
    }
    if (active.mode() != BindCheckMode.WARN || finding == null || !finding.verdict().isProblem()) {
      return;
    }
    String message = finding.message(boundAt());
    if (finding.verdict().isError()) {
      MeshLog.error(message);
    } else {
      MeshLog.warn(message);
    }
  }

  /** Null for what is not a TCP address the check can judge (a Unix socket, an unresolved name). */
  private static BindFinding classify(ListenAddressPolicy active, SocketAddress requested) {
    if (requested == null) {
      return active.classify(null, 0); // the JDK binds null to all addresses, a system port
    }
    if (!(requested instanceof InetSocketAddress)) {
      return null;
    }
    InetSocketAddress address = (InetSocketAddress) requested;
    if (address.isUnresolved()) {
      return null;
    }
    return active.classify(address.getAddress(), address.getPort());
  }

  /**
   * The first frame of the calling thread that is not the JDK's (nor meshaware's: core lives in the
   * boot loader under the agent, and advice has no frame): the server, framework or application
   * code that bound the socket.
   */
  static String boundAt() {
    try {
      ClassLoader platform = ClassLoader.getPlatformClassLoader();
      Optional<StackWalker.StackFrame> frame =
          StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
              .walk(
                  frames ->
                      frames
                          .filter(
                              f -> {
                                Class<?> type = f.getDeclaringClass();
                                ClassLoader loader = type.getClassLoader();
                                return loader != null
                                    && loader != platform
                                    && type != BindAddressCheck.class;
                              })
                          .findFirst());
      return frame.map(BindAddressCheck::describe).orElse("JDK code");
    } catch (RuntimeException e) {
      return "unknown code";
    }
  }

  private static String describe(StackWalker.StackFrame frame) {
    String file = frame.getFileName() == null ? "Unknown Source" : frame.getFileName();
    String line = frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : "";
    return frame.getClassName() + "." + frame.getMethodName() + "(" + file + line + ")";
  }
}
