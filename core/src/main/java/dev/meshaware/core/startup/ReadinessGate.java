package dev.meshaware.core.startup;

import dev.meshaware.core.config.Durations;
import dev.meshaware.core.config.HttpEndpoint;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.MeshLog;
import java.time.Duration;
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
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
  private static final Duration MIN_PROBE = Duration.ofMillis(10);
  private static final String NOT_PROBED = "not probed yet";

  private final MeshawareSettings settings;
  private final HostResolver resolver;
  private Runnable whileWaiting;

  public ReadinessGate(MeshawareSettings settings) {
    this(settings, HostResolver.system());
  }

  /** A gate that resolves the readiness URLs' host names with {@code resolver}. */
  ReadinessGate(MeshawareSettings settings, HostResolver resolver) {
    this.settings = settings;
    this.resolver = resolver;
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

  /** Runs the gate; never throws, never exits (see {@link GateResult#enforce()}). */
  public GateResult await() {
    if (!settings.get(MeshawareKeys.ENABLED)) {
      return new GateResult(GateResult.Verdict.SKIPPED, Duration.ZERO, false, "meshaware disabled");
    }
    StartupMode mode = settings.get(MeshawareKeys.STARTUP_MODE);
    if (mode == StartupMode.NEVER) {
      return skip("startup gate off (meshaware.startup.mode=never): not waiting for a sidecar");
    }
    boolean sidecarKnown = false;
    if (mode == StartupMode.AUTO) {
      if (!SidecarEnvironment.inKubernetes(settings)) {
        return skip(
            "not in Kubernetes (KUBERNETES_SERVICE_HOST unset): no sidecar can exist, not waiting"
                + " (meshaware.startup.mode=always waits anyway)");
      }
      String file = settings.get(MeshawareKeys.STARTUP_POD_ANNOTATIONS_FILE);
      if (!file.isEmpty()) {
        PodAnnotations annotations = PodAnnotations.read(file);
        switch (annotations.finding()) {
          case NONE:
            return noSidecar(
                "no sidecar: pod annotations ("
                    + file
                    + ") have no "
                    + PodAnnotations.SIDECAR_STATUS
                    + "; starting at once");
          case AMBIENT:
            return noSidecar(
                "ambient-mode pod ("
                    + annotations.detail()
                    + " in "
                    + file
                    + "): no sidecar to wait for; starting at once");
          case SIDECAR:
            sidecarKnown = true;
            break;
          default:
            MeshLog.warn(
                "cannot read meshaware.startup.pod-annotations-file "
                    + file
                    + " ("
                    + annotations.detail()
                    + "); watching the status port instead. Mount the"
                    + " downward-API volume with the 'annotations' field at that path");
        }
      }
    }
    return poll(mode == StartupMode.ALWAYS || sidecarKnown);
  }

  private GateResult poll(boolean sidecarKnown) {
    List<HttpEndpoint> urls = settings.get(MeshawareKeys.STARTUP_READY_URL);
    Duration timeout = settings.get(MeshawareKeys.STARTUP_TIMEOUT);
    Duration interval = settings.get(MeshawareKeys.STARTUP_POLL_INTERVAL);
    Duration noSidecarAfter = settings.get(MeshawareKeys.STARTUP_NO_SIDECAR_AFTER);
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long nextProgress = start + PROGRESS_EVERY.toNanos();
    boolean anyConnected = sidecarKnown;
    Map<HttpEndpoint, String> pending = new LinkedHashMap<>();
    urls.forEach(url -> pending.put(url, NOT_PROBED));
    // A host name that gave no address says nothing about the sidecar: no "no sidecar" verdict
    // while one is unresolved, only "not ready yet" until the deadline.
    Set<HttpEndpoint> unresolved = new HashSet<>();
    while (true) {
      for (Map.Entry<HttpEndpoint, String> entry : List.copyOf(pending.entrySet())) {
        long remaining = deadline - System.nanoTime();
        if (remaining < MIN_PROBE.toNanos() && !entry.getValue().equals(NOT_PROBED)) {
          continue; // a probe cut short by the deadline would only hide the last real outcome
        }
        Duration budget =
            Duration.ofNanos(
                Math.min(PROBE_TIMEOUT.toNanos(), Math.max(remaining, MIN_PROBE.toNanos())));
        ProbeResult result = StatusProbe.probe(entry.getKey(), budget, resolver);
        anyConnected |= result.connected();
        if (result.resolved()) {
          unresolved.remove(entry.getKey());
        } else {
          unresolved.add(entry.getKey());
        }
        if (result.isOk()) {
          pending.remove(entry.getKey());
        } else {
          pending.put(entry.getKey(), result.outcome());
        }
      }
      long now = System.nanoTime();
      Duration waited = Duration.ofNanos(now - start);
      if (pending.isEmpty()) {
        String message =
            "sidecar ready after " + Durations.seconds(waited) + " (" + join(urls) + ")";
        MeshLog.info(message);
        return new GateResult(GateResult.Verdict.READY, waited, false, message);
      }
      if (!anyConnected && unresolved.isEmpty() && now - start >= noSidecarAfter.toNanos()) {
        String message =
            "no sidecar: nothing listened at "
                + join(urls)
                + " for "
                + Durations.seconds(waited)
                + "; starting without waiting. If this pod does have a"
                + " sidecar that starts slowly, raise meshaware.startup.no-sidecar-after or set"
                + " meshaware.startup.pod-annotations-file";
        MeshLog.info(message);
        return new GateResult(GateResult.Verdict.NO_SIDECAR, waited, false, message);
      }
      if (now - deadline >= 0 || Thread.currentThread().isInterrupted()) {
        return timedOut(waited, pending, !unresolved.isEmpty());
      }
      if (now - nextProgress >= 0) {
        MeshLog.info(
            "waiting for sidecar: "
                + Durations.seconds(waited)
                + " of "
                + Durations.text(settings.get(MeshawareKeys.STARTUP_TIMEOUT))
                + " elapsed; "
                + describe(pending));
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

  private GateResult timedOut(
      Duration waited, Map<HttpEndpoint, String> pending, boolean dnsFailed) {
    boolean exit = settings.get(MeshawareKeys.STARTUP_ON_TIMEOUT) == OnTimeout.EXIT;
    String head =
        "sidecar not ready after " + Durations.seconds(waited) + " (" + describe(pending) + "); ";
    String fix =
        dnsFailed
            ? "meshaware.startup.ready-url names a host that did not resolve in time: check the"
                + " name, or use an IP address (http://127.0.0.1:15020/healthz/ready needs no DNS)"
            : "check the proxy container (kubectl logs <pod> -c istio-proxy) and"
                + " meshaware.startup.ready-url";
    if (exit) {
      String message =
          head
              + "exiting with status "
              + EXIT_STATUS
              + " (meshaware.startup.on-timeout=exit); "
              + fix;
      MeshLog.error(message);
      return new GateResult(GateResult.Verdict.TIMED_OUT, waited, true, message);
    }
    String message =
        head
            + "starting anyway (meshaware.startup.on-timeout=continue);"
            + " outbound calls may fail until it is ready; "
            + fix;
    MeshLog.warn(message);
    return new GateResult(GateResult.Verdict.TIMED_OUT, waited, false, message);
  }

  private static GateResult skip(String message) {
    MeshLog.info(message);
    return new GateResult(GateResult.Verdict.SKIPPED, Duration.ZERO, false, message);
  }

  private static GateResult noSidecar(String message) {
    MeshLog.info(message);
    return new GateResult(GateResult.Verdict.NO_SIDECAR, Duration.ZERO, false, message);
  }

  private static String describe(Map<HttpEndpoint, String> pending) {
    StringBuilder text = new StringBuilder();
    pending.forEach(
        (url, outcome) ->
            text.append(text.length() == 0 ? "" : ", ").append(url).append(" -> ").append(outcome));
    return text.toString();
  }

  private static String join(List<HttpEndpoint> urls) {
    StringBuilder text = new StringBuilder();
    urls.forEach(url -> text.append(text.length() == 0 ? "" : ", ").append(url));
    return text.toString();
  }
}
