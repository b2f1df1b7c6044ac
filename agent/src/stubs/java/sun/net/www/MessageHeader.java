package sun.net.www;

/**
 * Compile-time stand-in for the JDK's class of the same name (java.base, not exported), so that
 * advice inlined into {@code sun.net.www.protocol.http.HttpURLConnection} can call it directly. It
 * declares only what the advice calls; it is never packaged, and at run time the JDK's own class is
 * the one used. The instrumentations' shape checks switch the advice off on a JDK without these
 * methods.
 */
public class MessageHeader {
  public synchronized String findValue(String key) {
    throw new UnsupportedOperationException("compile-time stub");
  }

  public synchronized void set(String key, String value) {
    throw new UnsupportedOperationException("compile-time stub");
  }

  public synchronized void remove(String key) {
    throw new UnsupportedOperationException("compile-time stub");
  }
}
