package dev.meshaware.core.startup;

import dev.meshaware.core.config.HttpEndpoint;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Facts about where the process runs that decide whether a mesh can be here, and which. */
public final class SidecarEnvironment {
  /** Set by the kubelet in every container of every pod. */
  public static final String KUBERNETES_SERVICE_HOST = "KUBERNETES_SERVICE_HOST";

  private SidecarEnvironment() {}

  /** True in a Kubernetes pod: where a mesh's proxy or ztunnel can carry this process's traffic. */
  public static boolean inKubernetes(MeshawareSettings settings) {
    String host = settings.environment(KUBERNETES_SERVICE_HOST);
    return host != null && !host.trim().isEmpty();
  }

  /**
   * The mesh mode every feature follows (the README's table of mesh modes). What the gate found
   * wins. When the gate did not look (switched off, attached to a running JVM), what can be read
   * without waiting or connecting decides: {@code meshaware.mesh}, the pod annotations file, the
   * ports listening in the pod's network; a Kubernetes pod that shows nothing may still have a
   * sidecar ({@link MeshMode#POSSIBLE_SIDECAR}).
   *
   * @param gate the gate's result, or null when it did not run
   */
  public static MeshDetection mesh(MeshawareSettings settings, GateResult gate) {
    if (gate != null && gate.mesh() != null) {
      return gate.mesh();
    }
    if (gate != null && gate.verdict() == GateResult.Verdict.NO_SIDECAR) {
      return new MeshDetection(MeshMode.NONE, "the startup gate found none");
    }
    if (gate != null && gate.verdict() != GateResult.Verdict.SKIPPED) {
      return new MeshDetection(MeshMode.POSSIBLE_SIDECAR, "the startup gate found a sidecar");
    }
    MeshChoice choice = settings.get(MeshawareKeys.MESH);
    if (choice == MeshChoice.NONE) {
      return new MeshDetection(MeshMode.NONE, "meshaware.mesh=none");
    }
    if (!inKubernetes(settings)) {
      return choice == MeshChoice.AUTO
          ? new MeshDetection(MeshMode.NONE, "not in Kubernetes (KUBERNETES_SERVICE_HOST unset)")
          : chosen(choice, null, "not in Kubernetes");
    }
    String file = settings.get(MeshawareKeys.STARTUP_POD_ANNOTATIONS_FILE);
    MeshDetection found =
        withPorts(
            file.isEmpty() ? null : PodAnnotations.read(file).detection(), PodNetwork.system());
    return chosen(
        choice,
        found,
        "in Kubernetes, nothing conclusive read without the startup gate"
            + " (no annotations file, no proxy port listening)");
  }

  /**
   * What the annotations file said ({@code fromFile}, null when none is read), completed by the
   * ports listening in {@code network}: the file is exact for what the injectors wrote at
   * admission, so a mesh it names stands; without a file the ports decide. istio-cni writes {@code
   * ambient.istio.io/redirection} during the pod's network set-up, after the kubelet mounted the
   * volume, so a file without any mesh key beside ztunnel's listeners is an ambient pod.
   */
  static MeshDetection withPorts(MeshDetection fromFile, PodNetwork network) {
    if (fromFile != null && fromFile.mode() != MeshMode.NONE) {
      return fromFile;
    }
    MeshDetection ports = MeshPorts.read(network.listeningPorts());
    if (fromFile == null) {
      return ports;
    }
    return ports != null && ports.mode() == MeshMode.ISTIO_AMBIENT
        ? fromFile.as(MeshMode.ISTIO_AMBIENT, ports.evidence() + " (istio-cni annotates later)")
        : fromFile;
  }

  /**
   * The mode a caller that knows only "a sidecar may be here" (or not) stands for: the callers of
   * the features' earlier {@code from(settings, boolean)}.
   */
  public static MeshDetection maybe(boolean mayHaveSidecar) {
    return mayHaveSidecar
        ? new MeshDetection(MeshMode.POSSIBLE_SIDECAR, "a sidecar may be here (caller's word)")
        : new MeshDetection(MeshMode.NONE, "no sidecar (caller's word)");
  }

  /**
   * The readiness endpoints of the proxy of {@code mesh}: {@code meshaware.startup.ready-url} when
   * set, else that mesh's own (Istio's for a mode whose mesh is not known).
   */
  public static List<HttpEndpoint> readyUrls(MeshawareSettings settings, MeshDetection mesh) {
    if (settings.isExplicit(MeshawareKeys.STARTUP_READY_URL)
        || mesh.mode().mesh() != MeshMode.Mesh.LINKERD) {
      return settings.get(MeshawareKeys.STARTUP_READY_URL);
    }
    return Collections.singletonList(MeshMode.Mesh.LINKERD.readyUrl());
  }

  /**
   * Whether a mesh carries or may carry this process's traffic, by {@link #mesh}: the features that
   * only matter in a mesh (the bind check, the shutdown drain) use it.
   *
   * @param gate the gate's result, or null when it did not run
   */
  public static boolean mayHaveSidecar(MeshawareSettings settings, GateResult gate) {
    return mesh(settings, gate).mode().meshed();
  }

  /**
   * What the user's {@code meshaware.mesh} makes of what was found: {@code auto} keeps it; {@code
   * istio} or {@code linkerd} keep a mode of that mesh and replace anything else with that mesh's
   * sidecar. With nothing found, {@code auto} leaves the mesh open ({@link
   * MeshMode#POSSIBLE_SIDECAR}: both meshes' endpoints are watched).
   */
  static MeshDetection chosen(MeshChoice choice, MeshDetection found, String evidence) {
    if (found == null) {
      MeshMode mode =
          choice == MeshChoice.ISTIO
              ? MeshMode.ISTIO_SIDECAR
              : choice == MeshChoice.LINKERD ? MeshMode.LINKERD_SIDECAR : MeshMode.POSSIBLE_SIDECAR;
      String key = choice == MeshChoice.AUTO ? "" : "meshaware.mesh=" + name(choice) + "; ";
      return new MeshDetection(mode, key + evidence);
    }
    MeshMode.Mesh wanted =
        choice == MeshChoice.ISTIO
            ? MeshMode.Mesh.ISTIO
            : choice == MeshChoice.LINKERD ? MeshMode.Mesh.LINKERD : null;
    if (wanted == null || found.mode().mesh() == wanted) {
      return found;
    }
    return new MeshDetection(
        wanted == MeshMode.Mesh.ISTIO ? MeshMode.ISTIO_SIDECAR : MeshMode.LINKERD_SIDECAR,
        "meshaware.mesh=" + name(choice) + " (the pod showed: " + found.evidence() + ")");
  }

  private static String name(MeshChoice choice) {
    return choice.name().toLowerCase(Locale.ROOT);
  }
}
