package dev.meshaware.agent.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports a child may listen on. Taken below Linux's ephemeral range (32768 and up), where the
 * machine's own client sockets never take one between the check and the child's bind.
 */
public final class FreePorts {
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePorts() {}

  /** A port that nothing listens on, on all addresses and on loopback, not handed out before. */
  public static synchronized int next() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
      if (!HANDED_OUT.contains(port)
          && bindable(new InetSocketAddress(port))
          && bindable(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
        HANDED_OUT.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no free port between 20000 and 32000");
  }

  /** True when a server socket could listen on {@code address} now. */
  public static boolean bindable(InetSocketAddress address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(address);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
