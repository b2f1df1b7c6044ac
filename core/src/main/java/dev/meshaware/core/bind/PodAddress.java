package dev.meshaware.core.bind;

import dev.meshaware.core.config.MeshawareSettings;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The pod IP(s), as far as the application container can learn them: the sidecar forwards inbound
 * traffic there (Istio 1.10 and later), so a server bound to one specific address must be bound to
 * this one. An application container learns it only from a downward-API variable, from {@code
 * /etc/hosts} (the kubelet maps the pod's host name to it) or from its {@code eth0} interface.
 */
public final class PodAddress {
  /** The variable a downward-API {@code status.podIP} is usually exposed as. */
  public static final String POD_IP = "POD_IP";

  /** The dual-stack form, {@code status.podIPs}: comma-separated. */
  public static final String POD_IPS = "POD_IPS";

  private static final PodAddress UNKNOWN = new PodAddress(Collections.emptyList(), "");

  private final List<InetAddress> addresses;
  private final String source;

  private PodAddress(List<InetAddress> addresses, String source) {
    this.addresses = addresses;
    this.source = source;
  }

  /** The pod IPs {@code addresses}, learned from {@code source} (for messages). */
  public static PodAddress of(List<InetAddress> addresses, String source) {
    return addresses.isEmpty()
        ? UNKNOWN
        : new PodAddress(Collections.unmodifiableList(new ArrayList<>(addresses)), source);
  }

  /** No pod IP known. */
  public static PodAddress unknown() {
    return UNKNOWN;
  }

  /**
   * Learns the pod IPs: {@code POD_IP} or {@code POD_IPS}, else the address this host's name
   * resolves to (in a pod, from {@code /etc/hosts}), else {@code eth0}'s addresses. Never throws.
   */
  public static PodAddress learn(MeshawareSettings settings) {
    for (String name : new String[] {POD_IP, POD_IPS}) {
      List<InetAddress> fromEnv = literals(settings.environment(name));
      if (!fromEnv.isEmpty()) {
        return of(fromEnv, name);
      }
    }
    try {
      InetAddress local = InetAddress.getLocalHost();
      if (!local.isLoopbackAddress() && !local.isAnyLocalAddress()) {
        return of(Collections.singletonList(local), "this host's name");
      }
    } catch (Exception | LinkageError e) {
      // no name, or it does not resolve: try the interface
    }
    try {
      NetworkInterface eth0 = NetworkInterface.getByName("eth0");
      if (eth0 != null) {
        List<InetAddress> found = new ArrayList<>();
        for (Enumeration<InetAddress> all = eth0.getInetAddresses(); all.hasMoreElements(); ) {
          InetAddress address = all.nextElement();
          if (!address.isLinkLocalAddress()) {
            found.add(address);
          }
        }
        return of(found, "eth0");
      }
    } catch (Exception e) {
      // no interface information
    }
    return UNKNOWN;
  }

  /** IP literals only: a host name here would mean a DNS lookup on the bind path. */
  private static List<InetAddress> literals(String text) {
    List<InetAddress> addresses = new ArrayList<>();
    if (text == null) {
      return addresses;
    }
    for (String raw : text.split(",")) {
      String entry = raw.trim();
      boolean ipv4 = entry.matches("\\d{1,3}(\\.\\d{1,3}){3}");
      boolean ipv6 = entry.indexOf(':') >= 0 && entry.matches("[0-9a-fA-F:.]+");
      if (ipv4 || ipv6) {
        try {
          addresses.add(InetAddress.getByName(entry));
        } catch (Exception e) {
          // not an address after all: ignore the entry
        }
      }
    }
    return addresses;
  }

  /** True when the pod IP is known. */
  public boolean isKnown() {
    return !addresses.isEmpty();
  }

  /** True when {@code address} is a pod IP. */
  public boolean contains(InetAddress address) {
    return addresses.contains(address);
  }

  /** E.g. {@code 10.1.2.3 from POD_IP}, for messages. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    for (InetAddress address : addresses) {
      text.append(text.length() == 0 ? "" : ", ").append(address.getHostAddress());
    }
    return text + " from " + source;
  }
}
