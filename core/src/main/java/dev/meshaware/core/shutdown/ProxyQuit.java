package dev.meshaware.core.shutdown;

import dev.meshaware.core.config.Durations;
import dev.meshaware.core.config.HttpEndpoint;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.startup.HostResolver;
import dev.meshaware.core.startup.ProbeResult;
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

  private final WhenToQuit mode;
  private final HttpEndpoint url;
  private final JvmEnding ending;
  private final HostResolver resolver;

  ProxyQuit(WhenToQuit mode, HttpEndpoint url, JvmEnding ending, HostResolver resolver) {
    this.mode = mode;
    this.url = url;
    this.ending = ending;
    this.resolver = resolver;
  }

  /**
   * The quit the settings ask for, or null when there is none to make: {@code never}, or {@code
   * auto} where no sidecar is or could be.
   */
  public static ProxyQuit from(MeshawareSettings settings, boolean mayHaveSidecar) {
    WhenToQuit mode = settings.get(MeshawareKeys.SHUTDOWN_QUIT_PROXY);
    if (mode == WhenToQuit.NEVER || (mode == WhenToQuit.AUTO && !mayHaveSidecar)) {
      return null;
    }
    return new ProxyQuit(
        mode,
        settings.get(MeshawareKeys.SHUTDOWN_QUIT_URL),
        JvmEnding.process(),
        HostResolver.system());
  }

  /** For the startup report: when the proxy is told to quit, and where. */
  public String describe() {
    return (mode == WhenToQuit.ALWAYS
            ? "whenever the JVM ends"
            : "when the JVM ends on its own with status 0 (a finished Job)")
        + ", after the application's shutdown hooks: POST "
        + url;
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
      ProbeResult answer = StatusProbe.post(url, TIMEOUT, resolver); // DNS within TIMEOUT too
      String call =
          "POST "
              + url
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
