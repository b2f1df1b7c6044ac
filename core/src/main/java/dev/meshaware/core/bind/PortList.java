package dev.meshaware.core.bind;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** Reads a comma-separated list of TCP ports, such as {@code 8081,9090}. */
public final class PortList {
  /** The accepted form, quoted in messages about a bad list. */
  public static final String ACCEPTED_FORM =
      "a comma-separated list of ports from 1 to 65535, e.g. 8081,9090";

  private PortList() {}

  /** Parses {@code text} (empty: no port); {@link IllegalArgumentException} otherwise. */
  public static Set<Integer> parse(String text) {
    Set<Integer> ports = new TreeSet<>();
    for (String raw : text.split(",")) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int port;
      try {
        port = Integer.parseInt(entry);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + entry + "' is not a port number");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(port + " is outside 1 to 65535");
      }
      ports.add(port);
    }
    return Collections.unmodifiableSet(ports);
  }
}
