package dev.meshaware.core.bind;

import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.startup.MeshDetection;
import dev.meshaware.core.startup.MeshMode;
import dev.meshaware.core.startup.SidecarEnvironment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides what a server socket's address and port mean beside an Istio sidecar, and says why and
 * how to fix it. The facts (istio/istio cluster.go, the 1.10 upgrade notes, IST0143): the sidecar
 * forwards inbound traffic to {@code 127.0.0.1} up to Istio 1.9 and to the pod IP from 1.10 on, so
 * only a socket on all addresses works with every version; the sidecar's own ports are taken in the
 * pod's shared network; traffic of UID 1337 is never captured.
 */
public final class ListenAddressPolicy {
  private static final String FIX_ALL_ADDRESSES =
      "listen on all addresses instead (0.0.0.0 or ::; Spring Boot: server.address=0.0.0.0)";

  private final BindCheckMode mode;
  private final Set<Integer> allowedLoopbackPorts;
  private final Supplier<PodAddress> podAddress;
  private final int uid;
  private final MeshMode mesh;
  private volatile PodAddress learned;
  private KeepAlivePolicy keepAlive;

  /**
   * @param podAddress asked once, at the first socket on a specific non-loopback address
   * @param uid this process's effective user id, or {@link ProcessUser#UNKNOWN}
   */
  public ListenAddressPolicy(
      BindCheckMode mode,
      Set<Integer> allowedLoopbackPorts,
      Supplier<PodAddress> podAddress,
      int uid) {
    this(mode, allowedLoopbackPorts, podAddress, uid, MeshMode.ISTIO_SIDECAR);
  }

  /** As above, for a pod in mesh mode {@code mesh}, whose rules differ (the README's table). */
  public ListenAddressPolicy(
      BindCheckMode mode,
      Set<Integer> allowedLoopbackPorts,
      Supplier<PodAddress> podAddress,
      int uid,
      MeshMode mesh) {
    this.mode = mode;
    this.allowedLoopbackPorts = allowedLoopbackPorts;
    this.podAddress = podAddress;
    this.uid = uid;
    this.mesh = mesh;
  }

  /**
   * The policy the settings ask for, or null when the check is off: {@code meshaware.bind.check}
   * set explicitly applies as set; its default applies only where a sidecar is or could be.
   */
  public static ListenAddressPolicy from(MeshawareSettings settings, MeshDetection detection) {
    BindCheckMode mode = settings.get(MeshawareKeys.BIND_CHECK);
    boolean applies = settings.isExplicit(MeshawareKeys.BIND_CHECK) || detection.mode().meshed();
    if (mode == BindCheckMode.OFF || !applies) {
      return null;
    }
    MeshMode mesh = detection.mode().meshed() ? detection.mode() : MeshMode.ISTIO_SIDECAR;
    ListenAddressPolicy policy =
        new ListenAddressPolicy(
            mode,
            settings.get(MeshawareKeys.BIND_ALLOW_LOOPBACK_PORTS),
            () -> PodAddress.learn(settings),
            ProcessUser.effectiveUid(),
            mesh);
    // The keep-alive race is one of Envoy's connection pool in the pod: Istio's sidecar, classic
    // or native (or a pod that may have one). Not ztunnel's (L4, ambient), not Linkerd's.
    MeshMode found = detection.mode();
    if (found.proxyInPod() && found.mesh() == MeshMode.Mesh.ISTIO) {
      policy.keepAlive = new KeepAlivePolicy(settings.get(MeshawareKeys.BIND_SIDECAR_IDLE_TIMEOUT));
    }
    return policy;
  }

  /**
   * As {@link #from(MeshawareSettings, MeshDetection)} for a pod that may have a sidecar (Istio's
   * rules) or has none: kept for starters built against an earlier core.
   *
   * @deprecated use {@link #from(MeshawareSettings, MeshDetection)}
   */
  @Deprecated
  public static ListenAddressPolicy from(MeshawareSettings settings, boolean mayHaveSidecar) {
    return from(settings, SidecarEnvironment.maybe(mayHaveSidecar));
  }

  /**
   * The keep-alive comparison that goes with this check, or null where no Istio sidecar may be (the
   * check applies there only because of the mesh mode or {@code meshaware.bind.check}).
   */
  public KeepAlivePolicy keepAlive() {
    return keepAlive;
  }

  /** Whether a bad socket is reported ({@code warn}) or refused ({@code fail}). */
  public BindCheckMode mode() {
    return mode;
  }

  /** The verdict on a server socket listening on {@code address} (null: all) and {@code port}. */
  public BindFinding classify(InetAddress address, int port) {
    if (port == 0) {
      // A port the system picks cannot be the target of a Kubernetes Service, so the mesh never
      // sends anything there: internal plumbing, test servers. Nothing to say.
      return BindFinding.ok();
    }
    String shown = address == null ? "0.0.0.0" : show(address);
    if (mesh.mesh() == MeshMode.Mesh.LINKERD && uid == ProcessUser.LINKERD_PROXY_UID) {
      return BindFinding.problem(
          BindVerdict.PROXY_USER,
          shown,
          port,
          "belongs to a process running as UID 2102, the Linkerd proxy's own user: the mesh's"
              + " iptables rules let that user's traffic bypass the proxy, so this application's"
              + " outbound calls get no mTLS, routing or metrics; run the container as another"
              + " user (securityContext.runAsUser)");
    }
    if (mesh.mesh() == MeshMode.Mesh.ISTIO
        && mesh != MeshMode.ISTIO_AMBIENT
        && uid == ProcessUser.PROXY_UID) {
      return BindFinding.problem(
          BindVerdict.PROXY_USER,
          shown,
          port,
          "belongs to a process running as UID 1337, the Istio proxy's own user: the mesh's"
              + " iptables rules let that user's traffic bypass the sidecar, so this"
              + " application's outbound calls get no mTLS, routing or telemetry; run the"
              + " container as another user (securityContext.runAsUser)");
    }
    String role = SidecarPorts.role(mesh, port);
    if (role != null) {
      return BindFinding.problem(
          BindVerdict.SIDECAR_PORT,
          shown,
          port,
          "takes port "
              + port
              + ", which "
              + owner()
              + " owns ("
              + role
              + "): the application and the proxy share the pod's network, so whichever binds"
              + " it second fails, and requests meant for the proxy reach the application or the"
              + " other way round; move this server to a port outside "
              + (mesh.mesh() == MeshMode.Mesh.LINKERD ? "4140-4191" : "15000-15090"));
    }
    if (address == null || address.isAnyLocalAddress()) {
      return BindFinding.ok();
    }
    if (address.isLoopbackAddress()) {
      if (allowedLoopbackPorts.contains(port)) {
        return BindFinding.ok();
      }
      if (mesh == MeshMode.ISTIO_AMBIENT || mesh.mesh() == MeshMode.Mesh.LINKERD) {
        return BindFinding.problem(
            BindVerdict.LOOPBACK,
            shown,
            port,
            "listens on loopback only: "
                + (mesh == MeshMode.ISTIO_AMBIENT
                    ? "in ambient mode ztunnel delivers inbound traffic to the pod IP"
                    : "since Linkerd 2.11 the proxy forwards inbound traffic to the pod IP")
                + ", so no request through the mesh reaches it; "
                + FIX_ALL_ADDRESSES
                + "; a port meant to stay local belongs in meshaware.bind.allow-loopback-ports");
      }
      return BindFinding.problem(
          BindVerdict.LOOPBACK,
          shown,
          port,
          "listens on loopback only: since Istio 1.10 the sidecar forwards inbound traffic to the"
              + " pod IP, so no request through the mesh reaches it (IST0143); "
              + FIX_ALL_ADDRESSES
              + ", or have the sidecar forward to loopback with a Sidecar"
              + " ingress[].defaultEndpoint 127.0.0.1:"
              + port
              + "; a port meant to stay local belongs in meshaware.bind.allow-loopback-ports");
    }
    PodAddress pod = pod();
    if (pod.isKnown() && !pod.contains(address)) {
      return BindFinding.problem(
          BindVerdict.OTHER_ADDRESS,
          shown,
          port,
          "listens on one address that is not the pod IP ("
              + pod.describe()
              + "): "
              + (mesh == MeshMode.ISTIO_AMBIENT
                  ? "ztunnel delivers inbound traffic to the pod IP"
                  : mesh.mesh() == MeshMode.Mesh.LINKERD
                      ? "the proxy forwards inbound traffic to the pod IP (Linkerd 2.11 and later)"
                          + " or to 127.0.0.1 (2.10 and older)"
                      : "the sidecar forwards inbound traffic to the pod IP (Istio 1.10 and later)"
                          + " or to 127.0.0.1 (1.9 and older)")
              + ", so no request through the mesh reaches it; "
              + FIX_ALL_ADDRESSES);
    }
    if (mesh == MeshMode.ISTIO_AMBIENT) {
      return BindFinding.ok(); // ztunnel delivers to the pod IP in every ambient release
    }
    boolean linkerd = mesh.mesh() == MeshMode.Mesh.LINKERD;
    return BindFinding.problem(
        BindVerdict.POD_ADDRESS,
        shown,
        port,
        "listens on "
            + (pod.isKnown()
                ? "the pod IP (" + pod.describe() + ")"
                : "one address, presumably the pod IP,")
            + (linkerd
                ? " only: fine with Linkerd 2.11 and later, but Linkerd 2.10 and older forward"
                : " only: fine with Istio 1.10 and later, but Istio 1.9 and older forward")
            + " inbound traffic to 127.0.0.1, so there no request through the mesh reaches it; "
            + FIX_ALL_ADDRESSES
            + " to work with every version"
            + (linkerd
                ? ""
                : ", or on the old versions set a Sidecar ingress[].defaultEndpoint 0.0.0.0:"
                    + port));
  }

  /** Who owns the mesh's ports in the pod, for a line to a person. */
  private String owner() {
    if (mesh == MeshMode.ISTIO_AMBIENT) {
      return "Istio's ztunnel";
    }
    return mesh.mesh() == MeshMode.Mesh.LINKERD ? "the Linkerd proxy" : "the Istio sidecar";
  }

  private PodAddress pod() {
    PodAddress current = learned;
    if (current == null) {
      current = podAddress.get();
      learned = current;
    }
    return current;
  }

  /** As operators write addresses: {@code 10.0.0.1}, {@code [::1]}, {@code [fd00::5]}. */
  static String show(InetAddress address) {
    String text = address.getHostAddress();
    return address instanceof Inet6Address ? "[" + compact(text) + "]" : text;
  }

  /** The JDK writes every IPv6 group ({@code 0:0:0:0:0:0:0:1}): fold the longest zero run. */
  private static String compact(String full) {
    int percent = full.indexOf('%');
    String scope = percent < 0 ? "" : full.substring(percent);
    String[] groups = (percent < 0 ? full : full.substring(0, percent)).split(":");
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < groups.length; i++) {
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
    }
    if (bestStart < 0) {
      return full;
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
    String tail =
        String.join(
            ":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
    return head + "::" + tail + scope;
  }
}
