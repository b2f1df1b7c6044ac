package dev.meshaware.core.shutdown;

import dev.meshaware.core.config.Durations;
import dev.meshaware.core.config.HttpEndpoint;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.startup.HostResolver;
import dev.meshaware.core.startup.MeshDetection;
import dev.meshaware.core.startup.MeshMode;
import dev.meshaware.core.startup.ProbeResult;
import dev.meshaware.core.startup.SidecarEnvironment;
import dev.meshaware.core.startup.StatusProbe;
import java.time.Duration;

/**
 * Tells the proxy to quit when the application is done, so that a Job's pod completes: the sidecar
 * does not stop on its own while the application container is finished. It must run after every
 * application shutdown hook, so that the hooks' own outbound calls still pass through the proxy;
 * the agent calls {@link #atJvmEnd()} from a hook the JVM runs only after all of them.
 *
 * <p>The whole call, name lookup included, fits in {@link #TIMEOUT}: a quit URL whose host does not
 * resolve in time is a failed quit, said in one line, never a JVM that does not end.
 */
public final class ProxyQuit {
  /** The quit call is one loopback request; it must never hold the JVM's exit for long. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  /**
   * The pod annotation that turns Linkerd's {@code /shutdown} endpoint on; it is off by default
   * from Linkerd 2.16 (edge 24.6.2), when the proxy answers 404 "shutdown endpoint is not enabled".
   */
  static final String LINKERD_SHUTDOWN_ANNOTATION = "config.linkerd.io/proxy-admin-shutdown";

  private final WhenToQuit mode;
  private final HttpEndpoint url;
  private final MeshMode.Mesh mesh;

  /** Linkerd's endpoint, tried when nothing listens at Istio's in a pod whose mesh is not known. */
  private HttpEndpoint orLinkerd;

  private final JvmEnding ending;
  private final HostResolver resolver;

  ProxyQuit(WhenToQuit mode, HttpEndpoint url, JvmEnding ending, HostResolver resolver) {
    this(mode, url, MeshMode.Mesh.ISTIO, ending, resolver);
  }

  ProxyQuit(
      WhenToQuit mode,
      HttpEndpoint url,
      MeshMode.Mesh mesh,
      JvmEnding ending,
      HostResolver resolver) {
    this.mode = mode;
    this.url = url;
    this.mesh = mesh;
    this.ending = ending;
    this.resolver = resolver;
  }

  /**
   * The quit the settings ask for in the pod's mesh mode, or null when there is none to make:
   * {@code never}, or {@code auto} where no proxy container is: none at all, ztunnel on the node
   * (ambient), or a native sidecar, which the kubelet stops after the application's container ends
   * (a quit would only skip its drain). The URL is the mode's mesh's ({@code 15020/quitquitquit}
   * for Istio, {@code 4191/shutdown} for Linkerd) unless {@code meshaware.shutdown.quit-url} is
   * set.
   */
  public static ProxyQuit from(MeshawareSettings settings, MeshDetection detection) {
    WhenToQuit mode = settings.get(MeshawareKeys.SHUTDOWN_QUIT_PROXY);
    MeshMode meshMode = detection.mode();
    if (mode == WhenToQuit.NEVER
        || (mode == WhenToQuit.AUTO && meshMode.proxy() != MeshMode.Proxy.CONTAINER)) {
      return null;
    }
    MeshMode.Mesh mesh = meshMode.mesh() == null ? MeshMode.Mesh.ISTIO : meshMode.mesh();
    HttpEndpoint url =
        settings.isExplicit(MeshawareKeys.SHUTDOWN_QUIT_URL)
            ? settings.get(MeshawareKeys.SHUTDOWN_QUIT_URL)
            : mesh.quitUrl();
    ProxyQuit quit = new ProxyQuit(mode, url, mesh, JvmEnding.process(), HostResolver.system());
    if (meshMode == MeshMode.POSSIBLE_SIDECAR
        && !settings.isExplicit(MeshawareKeys.SHUTDOWN_QUIT_URL)) {
      quit.orLinkerd = MeshMode.Mesh.LINKERD.quitUrl();
    }
    return quit;
  }

  /**
   * As {@link #from(MeshawareSettings, MeshDetection)} for a pod that may have a sidecar (Istio's,
   * the mode not known) or has none: kept for starters built against an earlier core.
   *
   * @deprecated use {@link #from(MeshawareSettings, MeshDetection)}
   */
  @Deprecated
  public static ProxyQuit from(MeshawareSettings settings, boolean mayHaveSidecar) {
    return from(settings, SidecarEnvironment.maybe(mayHaveSidecar));
  }

  /** For the report when {@link #from} made no quit: why none is needed. */
  public static String whyNone(MeshawareSettings settings, MeshDetection detection) {
    if (settings.get(MeshawareKeys.SHUTDOWN_QUIT_PROXY) == WhenToQuit.NEVER) {
      return "never (meshaware.shutdown.quit-proxy=never)";
    }
    switch (detection.mode().proxy()) {
      case NATIVE:
        return "never: a native sidecar is stopped by the kubelet after the application's"
            + " container ends, and a quit would skip its drain";
      case NODE:
        return "never: no proxy in the pod (ambient: ztunnel runs on the node)";
      default:
        return "never: no proxy here";
    }
  }

  /** For the startup report: when the proxy is told to quit, and where. */
  public String describe() {
    return (mode == WhenToQuit.ALWAYS
            ? "whenever the JVM ends"
            : "when the JVM ends on its own with status 0 (a finished Job)")
        + ", after the application's shutdown hooks: POST "
        + url
        + (orLinkerd == null ? "" : " (nothing listening there: POST " + orLinkerd + ")");
  }

  /** True when the decision depends on how the JVM ends (so the agent must watch it). */
  public boolean needsExitStatus() {
    return mode == WhenToQuit.AUTO;
  }

  /** Runs once every application shutdown hook has finished; never throws. */
  public void atJvmEnd() {
    try {
      String hooks = "application shutdown hooks done" + sinceShutdownBegan();
      if (mode == WhenToQuit.AUTO && !ending.endsCleanly()) {
        MeshLog.info(
            hooks
                + "; not telling the proxy to quit: "
                + ending.describe()
                + " (meshaware.shutdown.quit-proxy=auto quits only when the JVM ends on its own"
                + " with status 0)");
        return;
      }
      long start = System.nanoTime();
      HttpEndpoint called = url;
      MeshMode.Mesh answering = mesh;
      ProbeResult answer = StatusProbe.post(url, TIMEOUT, resolver); // DNS within TIMEOUT too
      if (orLinkerd != null && !answer.connected() && answer.resolved()) {
        // The mesh was not known: nothing at Istio's endpoint, so ask Linkerd's proxy.
        ProbeResult linkerd = StatusProbe.post(orLinkerd, TIMEOUT, resolver);
        if (linkerd.connected()) {
          called = orLinkerd;
          answering = MeshMode.Mesh.LINKERD;
          answer = linkerd;
        }
      }
      String call =
          "POST "
              + called
              + " -> "
              + answer.outcome()
              + " in "
              + Durations.seconds(Duration.ofNanos(System.nanoTime() - start));
      String why =
          mode == WhenToQuit.AUTO ? ending.describe() : "meshaware.shutdown.quit-proxy=always";
      if (answer.isOk()) {
        MeshLog.info(hooks + "; " + why + ": told the proxy to quit (" + call + ")");
      } else if (!answer.connected() && answer.resolved() && mode == WhenToQuit.AUTO) {
        // Nothing listens: this pod has no proxy after all (as the gate concludes from the same
        // sign), so there is nothing to quit and nothing to warn about.
        MeshLog.debug(hooks + "; no proxy to quit (" + call + ")");
      } else if (answering == MeshMode.Mesh.LINKERD
          && answer.connected()
          && answer.outcome().startsWith("HTTP 404")) {
        MeshLog.warn(
            hooks
                + "; "
                + why
                + ", but Linkerd's proxy has its shutdown endpoint disabled ("
                + call
                + "); the pod may not complete: enable it with the pod annotation "
                + LINKERD_SHUTDOWN_ANNOTATION
                + ": enabled (or the Helm value proxy.enableShutdownEndpoint=true), or run the"
                + " proxy as a native sidecar (config.alpha.linkerd.io/proxy-enable-native-sidecar:"
                + " \"true\", the default from Linkerd 2.20, Kubernetes 1.29 and later), which the"
                + " kubelet stops when the Job ends");
      } else {
        MeshLog.warn(
            hooks
                + "; "
                + why
                + ", but the proxy did not accept the quit ("
                + call
                + "); the pod may not complete: "
                + (answer.resolved()
                    ? "check meshaware.shutdown.quit-url"
                    : "meshaware.shutdown.quit-url names a host that did not resolve in time;"
                        + " use an IP address (http://127.0.0.1:15020/quitquitquit needs no DNS)"));
      }
    } catch (RuntimeException e) {
      MeshLog.warn("cannot tell the proxy to quit: " + e);
    }
  }

  private String sinceShutdownBegan() {
    long began = ending.shutdownBegan();
    return began == 0
        ? ""
        : " "
            + Durations.seconds(Duration.ofNanos(System.nanoTime() - began))
            + " after shutdown began";
  }
}
