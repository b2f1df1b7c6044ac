package dev.meshaware.core.startup;

import dev.meshaware.core.config.Durations;
import dev.meshaware.core.config.HttpEndpoint;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.MeshLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Holds the caller until the sidecar is ready, the pod turns out to have none, or the deadline
 * passes. The agent runs it in {@code premain}; the starter in its earliest hook; any other
 * application can call {@link #fromSystem()}{@code .await().enforce()} first thing in {@code main}.
 *
 * <p>Logs a progress line about every two seconds while waiting and exactly one verdict line.
 */
public final class ReadinessGate {
  /** Exit status under {@code on-timeout=exit}: EX_TEMPFAIL, "try again later". */
  public static final int EXIT_STATUS = 75;

  static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  /** The one look at the readiness URLs before the pod's network is asked. */
  private static final Duration FIRST_LOOK = Duration.ofMillis(100);

  static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
  private static final Duration MIN_PROBE = Duration.ofMillis(10);
  private static final String NOT_PROBED = "not probed yet";

  private final MeshawareSettings settings;
  private final HostResolver resolver;
  private final PodNetwork network;
  private Runnable whileWaiting;
  private long began;

  /** The wait rests on a refused connection to the Kubernetes API: asked again while waiting. */
  private boolean redirectRefused;

  public ReadinessGate(MeshawareSettings settings) {
    this(settings, HostResolver.system(), PodNetwork.system());
  }

  /** A gate that resolves the readiness URLs' host names with {@code resolver}. */
  ReadinessGate(MeshawareSettings settings, HostResolver resolver) {
    this(settings, resolver, PodNetwork.system());
  }

  /** A gate that reads the pod's listeners from {@code network}. */
  ReadinessGate(MeshawareSettings settings, HostResolver resolver, PodNetwork network) {
    this.settings = settings;
    this.resolver = resolver;
    this.network = network;
  }

  /**
   * Has {@code work} run once, on the gate's thread, when the first probes found the sidecar not
   * ready and the gate is about to wait: the agent starts preparing its instrumentation then, on
   * its own thread, so that the waiting time is not lost. {@code work} must return at once.
   */
  public ReadinessGate whileWaiting(Runnable work) {
    this.whileWaiting = work;
    return this;
  }

  /** A gate configured from system properties and the environment. */
  public static ReadinessGate fromSystem() {
    return new ReadinessGate(MeshawareSettings.fromSystem());
  }

  /**
   * Runs the gate; never throws, never exits (see {@link GateResult#enforce()}). In {@code auto}
   * mode it first decides which mesh mode the pod is in, from the pod annotations file when one is
   * mounted, then from the pod's network (its listening ports, then whether outbound traffic is
   * redirected), and waits only where a proxy runs in the pod.
   */
  public GateResult await() {
    began = System.nanoTime();
    if (!settings.get(MeshawareKeys.ENABLED)) {
      return new GateResult(GateResult.Verdict.SKIPPED, Duration.ZERO, false, "meshaware disabled");
    }
    MeshChoice choice = settings.get(MeshawareKeys.MESH);
    if (choice == MeshChoice.NONE) {
      return skip(
          new MeshDetection(MeshMode.NONE, "meshaware.mesh=none"),
          "no mesh (meshaware.mesh=none): not waiting for a proxy");
    }
    StartupMode mode = settings.get(MeshawareKeys.STARTUP_MODE);
    if (mode == StartupMode.NEVER) {
      return skip(
          null, "startup gate off (meshaware.startup.mode=never): not waiting for a sidecar");
    }
    if (mode == StartupMode.ALWAYS) {
      // Always waits, but for the proxy the pod shows: a native sidecar stays one (never quit).
      MeshDetection shown =
          SidecarEnvironment.inKubernetes(settings) ? fromAnnotationsThenPorts() : null;
      MeshDetection always =
          shown != null && shown.mode().proxyInPod()
              ? SidecarEnvironment.chosen(choice, shown, null)
              : SidecarEnvironment.chosen(
                  choice, null, "meshaware.startup.mode=always (no conclusion that none is here)");
      return poll(always, true);
    }
    if (!SidecarEnvironment.inKubernetes(settings) && choice == MeshChoice.AUTO) {
      return skip(
          new MeshDetection(MeshMode.NONE, "not in Kubernetes (KUBERNETES_SERVICE_HOST unset)"),
          "not in Kubernetes (KUBERNETES_SERVICE_HOST unset): no sidecar can exist, not waiting"
              + " (meshaware.startup.mode=always waits anyway)");
    }
    if (!SidecarEnvironment.inKubernetes(settings)) {
      // meshaware.mesh named a mesh outside Kubernetes: a proxy on a virtual machine.
      return poll(SidecarEnvironment.chosen(choice, null, "not in Kubernetes"), true);
    }
    MeshDetection found = fromAnnotationsThenPorts();
    if (found == null) {
      return fromRedirection(choice);
    }
    found = SidecarEnvironment.chosen(choice, found, null);
    if (!found.mode().proxyInPod()) {
      return noSidecar(
          found,
          (found.mode() == MeshMode.NONE ? "no sidecar" : found.mode().title())
              + " ("
              + found.evidence()
              + "): no proxy in the pod to wait for; starting at once");
    }
    return poll(found, true);
  }

  /**
   * The annotations file's answer completed by the pod's listeners (see {@link
   * SidecarEnvironment#withPorts}).
   */
  private MeshDetection fromAnnotationsThenPorts() {
    return SidecarEnvironment.withPorts(fromAnnotations(), network);
  }

  /** The annotations file's answer, or null when none is mounted or it cannot be read. */
  private MeshDetection fromAnnotations() {
    String file = settings.get(MeshawareKeys.STARTUP_POD_ANNOTATIONS_FILE);
    if (file.isEmpty()) {
      return null;
    }
    PodAnnotations annotations = PodAnnotations.read(file);
    if (annotations.detection() == null) {
      MeshLog.warn(
          "cannot read meshaware.startup.pod-annotations-file "
              + file
              + " ("
              + annotations.problem()
              + "); reading the pod's network instead. Mount the"
              + " downward-API volume with the 'annotations' field at that path");
    }
    return annotations.detection();
  }

  /**
   * Nothing listens on a proxy port yet: whether outbound traffic is redirected tells a proxy that
   * is starting (refused) from a pod without one (accepted, with still no proxy port open).
   */
  private GateResult fromRedirection(MeshChoice choice) {
    // A proxy whose status port is not one of the known ones (a readiness URL the user set, a
    // status port moved by annotation) shows itself by answering there.
    MeshDetection open = SidecarEnvironment.chosen(choice, null, "no proxy port known yet");
    for (Candidate candidate : candidates(open)) {
      for (HttpEndpoint url : candidate.urls) {
        if (StatusProbe.probe(url, FIRST_LOOK, resolver).connected()) {
          return poll(
              SidecarEnvironment.chosen(
                  choice, null, url + " answers, a proxy's status port in the pod"),
              true);
        }
      }
    }
    PodNetwork.RedirectProbe redirect =
        PodNetwork.probeRedirect(
            settings.environment(SidecarEnvironment.KUBERNETES_SERVICE_HOST),
            settings.environment(PodNetwork.KUBERNETES_SERVICE_PORT));
    switch (redirect.outcome) {
      case REFUSED:
        redirectRefused = true;
        return poll(
            SidecarEnvironment.chosen(
                choice,
                null,
                redirect.detail + ": outbound traffic is turned to a proxy that is not up yet"),
            true);
      case CONNECTED:
        MeshDetection late = MeshPorts.read(network.listeningPorts());
        if (late != null) {
          return poll(SidecarEnvironment.chosen(choice, late, null), late.mode().proxyInPod());
        }
        if (choice != MeshChoice.AUTO) {
          return poll(SidecarEnvironment.chosen(choice, null, redirect.detail), true);
        }
        return noSidecar(
            new MeshDetection(
                MeshMode.NONE,
                "no proxy port listens in the pod's network and "
                    + redirect.detail
                    + ", not turned to a proxy"),
            "no sidecar: no proxy port listens in the pod's network and outbound traffic is not"
                + " redirected ("
                + redirect.detail
                + "); starting at once. If this pod does have a proxy, set meshaware.mesh=istio or"
                + " linkerd, or mount the pod annotations (meshaware.startup.pod-annotations-file)");
      default:
        return poll(
            SidecarEnvironment.chosen(
                choice, null, "the pod's network was inconclusive (" + redirect.detail + ")"),
            choice != MeshChoice.AUTO);
    }
  }

  /** The endpoints that must all answer 200 for one mesh mode to count as ready. */
  private static final class Candidate {
    final MeshMode mode;
    final List<HttpEndpoint> urls;
    final Map<HttpEndpoint, String> pending = new LinkedHashMap<>();

    Candidate(MeshMode mode, List<HttpEndpoint> urls) {
      this.mode = mode;
      this.urls = urls;
      for (HttpEndpoint url : urls) {
        pending.put(url, NOT_PROBED);
      }
    }
  }

  /**
   * The readiness endpoints to watch: those of {@code meshaware.startup.ready-url} when set, else
   * the mode's mesh's own; for a mesh not known yet, Istio's and Linkerd's, the first to answer
   * telling which.
   */
  private List<Candidate> candidates(MeshDetection mesh) {
    List<Candidate> candidates = new ArrayList<>();
    if (settings.isExplicit(MeshawareKeys.STARTUP_READY_URL)) {
      List<HttpEndpoint> urls = settings.get(MeshawareKeys.STARTUP_READY_URL);
      candidates.add(new Candidate(byPort(mesh.mode(), urls), urls));
    } else if (mesh.mode() == MeshMode.POSSIBLE_SIDECAR) {
      candidates.add(
          new Candidate(MeshMode.ISTIO_SIDECAR, List.of(MeshMode.Mesh.ISTIO.readyUrl())));
      candidates.add(
          new Candidate(MeshMode.LINKERD_SIDECAR, List.of(MeshMode.Mesh.LINKERD.readyUrl())));
    } else {
      candidates.add(new Candidate(mesh.mode(), SidecarEnvironment.readyUrls(settings, mesh)));
    }
    return candidates;
  }

  /**
   * For a mesh not known yet, what the user's readiness URLs tell by their port: Linkerd's admin
   * port 4191, pilot-agent's 15020 or 15021; any other port leaves it open.
   */
  private static MeshMode byPort(MeshMode mode, List<HttpEndpoint> urls) {
    if (mode != MeshMode.POSSIBLE_SIDECAR || urls.isEmpty()) {
      return mode;
    }
    int port = urls.get(0).port();
    if (port == MeshMode.Mesh.LINKERD.readyUrl().port()) {
      return MeshMode.LINKERD_SIDECAR;
    }
    return port == 15020 || port == 15021 ? MeshMode.ISTIO_SIDECAR : mode;
  }

  private GateResult poll(MeshDetection mesh, boolean sidecarKnown) {
    List<Candidate> candidates = candidates(mesh);
    Duration timeout = settings.get(MeshawareKeys.STARTUP_TIMEOUT);
    Duration interval = settings.get(MeshawareKeys.STARTUP_POLL_INTERVAL);
    Duration noSidecarAfter = settings.get(MeshawareKeys.STARTUP_NO_SIDECAR_AFTER);
    long start = began; // the application is held from the gate's start, evidence included
    long deadline = start + timeout.toNanos();
    long nextProgress = start + PROGRESS_EVERY.toNanos();
    boolean anyConnected = sidecarKnown;
    boolean proxyAnswered = false;
    // A host name that gave no address says nothing about the sidecar: no "no sidecar" verdict
    // while one is unresolved, only "not ready yet" until the deadline.
    Set<HttpEndpoint> unresolved = new HashSet<>();
    while (true) {
      for (Candidate candidate : candidates) {
        for (Map.Entry<HttpEndpoint, String> entry : List.copyOf(candidate.pending.entrySet())) {
          long remaining = deadline - System.nanoTime();
          if (remaining < MIN_PROBE.toNanos() && !entry.getValue().equals(NOT_PROBED)) {
            continue; // a probe cut short by the deadline would only hide the last real outcome
          }
          Duration budget =
              Duration.ofNanos(
                  Math.min(PROBE_TIMEOUT.toNanos(), Math.max(remaining, MIN_PROBE.toNanos())));
          ProbeResult result = StatusProbe.probe(entry.getKey(), budget, resolver);
          anyConnected |= result.connected();
          proxyAnswered |= result.connected();
          if (result.resolved()) {
            unresolved.remove(entry.getKey());
          } else {
            unresolved.add(entry.getKey());
          }
          if (result.isOk()) {
            candidate.pending.remove(entry.getKey());
          } else {
            candidate.pending.put(entry.getKey(), result.outcome());
          }
        }
      }
      long now = System.nanoTime();
      Duration waited = Duration.ofNanos(now - start);
      for (Candidate candidate : candidates) {
        if (candidate.pending.isEmpty()) {
          return ready(mesh, candidate, waited);
        }
      }
      if (!anyConnected && unresolved.isEmpty() && now - start >= noSidecarAfter.toNanos()) {
        String message =
            "no sidecar: nothing listened at "
                + joinAll(candidates)
                + " for "
                + Durations.seconds(waited)
                + "; starting now ("
                + mesh.evidence()
                + "). To decide at once, mount the pod annotations"
                + " (meshaware.startup.pod-annotations-file) or set meshaware.mesh; if this pod"
                + " does have a sidecar that starts slowly, raise"
                + " meshaware.startup.no-sidecar-after";
        MeshLog.info(message);
        MeshDetection none =
            new MeshDetection(
                MeshMode.NONE,
                "nothing listened at "
                    + joinAll(candidates)
                    + " for "
                    + Durations.seconds(waited)
                    + " ("
                    + mesh.evidence()
                    + ")");
        return new GateResult(GateResult.Verdict.NO_SIDECAR, waited, false, message, none);
      }
      if (now - deadline >= 0 || Thread.currentThread().isInterrupted()) {
        return timedOut(waited, mesh, candidates, !unresolved.isEmpty());
      }
      if (now - nextProgress >= 0 && redirectRefused && !proxyAnswered) {
        GateResult none = refusalEnded(waited);
        if (none != null) {
          return none;
        }
      }
      if (now - nextProgress >= 0) {
        MeshLog.info(
            "waiting for sidecar: "
                + Durations.seconds(waited)
                + " of "
                + Durations.text(settings.get(MeshawareKeys.STARTUP_TIMEOUT))
                + " elapsed; "
                + describe(candidates));
        nextProgress = now + PROGRESS_EVERY.toNanos();
      }
      if (whileWaiting != null) {
        Runnable work = whileWaiting;
        whileWaiting = null;
        try {
          work.run();
        } catch (RuntimeException | LinkageError e) {
          MeshLog.debug("cannot prepare while the gate waits: " + e);
        }
      }
      long pause = Math.min(interval.toNanos(), deadline - now);
      if (!anyConnected && unresolved.isEmpty()) {
        pause = Math.min(pause, Math.max(0, start + noSidecarAfter.toNanos() - now));
      }
      try {
        Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // give the flag back; stop waiting on the next turn
      }
    }
  }

  /**
   * The wait rests on a refused connection to the Kubernetes API and no proxy has answered yet:
   * asked again, an accepted connection with still no proxy port open means the refusal was not a
   * mesh's redirection (a network policy that rejects, a mesh meshaware does not know), so the pod
   * has no proxy to wait for; null while it still looks like a proxy on its way.
   */
  private GateResult refusalEnded(Duration waited) {
    PodNetwork.RedirectProbe again =
        PodNetwork.probeRedirect(
            settings.environment(SidecarEnvironment.KUBERNETES_SERVICE_HOST),
            settings.environment(PodNetwork.KUBERNETES_SERVICE_PORT));
    if (again.outcome != PodNetwork.Redirect.CONNECTED
        || MeshPorts.read(network.listeningPorts()) != null) {
      return null;
    }
    String evidence =
        "refused at first, "
            + again.detail
            + " after "
            + Durations.seconds(waited)
            + " with still no proxy port open: not a mesh's redirection";
    return noSidecar(
        new MeshDetection(MeshMode.NONE, evidence),
        "no sidecar: "
            + evidence
            + "; starting now. If this pod does have a proxy, set meshaware.mesh=istio or linkerd");
  }

  private static GateResult ready(MeshDetection mesh, Candidate candidate, Duration waited) {
    MeshDetection found =
        candidate.mode == mesh.mode()
            ? mesh
            : mesh.as(candidate.mode, join(candidate.urls) + " answered 200");
    String message =
        "sidecar ready after "
            + Durations.seconds(waited)
            + " ("
            + join(candidate.urls)
            + "; "
            + found.mode().title()
            + ")";
    MeshLog.info(message);
    return new GateResult(GateResult.Verdict.READY, waited, false, message, found);
  }

  private GateResult timedOut(
      Duration waited, MeshDetection mesh, List<Candidate> candidates, boolean dnsFailed) {
    boolean exit = settings.get(MeshawareKeys.STARTUP_ON_TIMEOUT) == OnTimeout.EXIT;
    String head =
        "sidecar not ready after "
            + Durations.seconds(waited)
            + " ("
            + describe(candidates)
            + "); ";
    String logs =
        mesh.mode() == MeshMode.POSSIBLE_SIDECAR
            ? MeshMode.Mesh.ISTIO.proxyLogs() + ", or -c linkerd-proxy"
            : mesh.mode().mesh().proxyLogs();
    String fix =
        dnsFailed
            ? "meshaware.startup.ready-url names a host that did not resolve in time: check the"
                + " name, or use an IP address (http://127.0.0.1:15020/healthz/ready needs no DNS)"
            : "check the proxy container ("
                + logs
                + ") and meshaware.startup.ready-url (waited as "
                + mesh.mode().title()
                + ": "
                + mesh.evidence()
                + (mesh.evidence().contains("refused")
                    ? "; if this pod has no Istio or Linkerd proxy, set meshaware.mesh=none"
                    : "")
                + ")";
    if (exit) {
      String message =
          head
              + "exiting with status "
              + EXIT_STATUS
              + " (meshaware.startup.on-timeout=exit); "
              + fix;
      MeshLog.error(message);
      return new GateResult(GateResult.Verdict.TIMED_OUT, waited, true, message, mesh);
    }
    String message =
        head
            + "starting anyway (meshaware.startup.on-timeout=continue);"
            + " outbound calls may fail until it is ready; "
            + fix;
    MeshLog.warn(message);
    return new GateResult(GateResult.Verdict.TIMED_OUT, waited, false, message, mesh);
  }

  private static GateResult skip(MeshDetection mesh, String message) {
    MeshLog.info(message);
    return new GateResult(GateResult.Verdict.SKIPPED, Duration.ZERO, false, message, mesh);
  }

  private GateResult noSidecar(MeshDetection mesh, String message) {
    MeshLog.info(message);
    Duration took = Duration.ofNanos(System.nanoTime() - began);
    return new GateResult(GateResult.Verdict.NO_SIDECAR, took, false, message, mesh);
  }

  private static String describe(List<Candidate> candidates) {
    StringBuilder text = new StringBuilder();
    for (Candidate candidate : candidates) {
      for (Map.Entry<HttpEndpoint, String> entry : candidate.pending.entrySet()) {
        text.append(text.length() == 0 ? "" : ", ")
            .append(entry.getKey())
            .append(" -> ")
            .append(entry.getValue());
      }
    }
    return text.toString();
  }

  private static String joinAll(List<Candidate> candidates) {
    List<HttpEndpoint> urls = new ArrayList<>();
    for (Candidate candidate : candidates) {
      urls.addAll(candidate.urls);
    }
    return join(urls);
  }

  private static String join(List<HttpEndpoint> urls) {
    StringBuilder text = new StringBuilder();
    for (HttpEndpoint url : urls) {
      text.append(text.length() == 0 ? "" : ", ").append(url);
    }
    return text.toString();
  }
}
