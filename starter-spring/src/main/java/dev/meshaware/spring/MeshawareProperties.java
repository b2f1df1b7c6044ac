package dev.meshaware.spring;

import dev.meshaware.core.bind.BindCheckMode;
import dev.meshaware.core.propagation.PeriodicWork;
import dev.meshaware.core.shutdown.WhenToQuit;
import dev.meshaware.core.startup.MeshChoice;
import dev.meshaware.core.startup.OnTimeout;
import dev.meshaware.core.startup.StartupMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * meshaware's settings as Spring properties: the same keys and defaults as the agent's ({@code
 * MeshawareKeys}; a test fails if they drift), here so that IDEs complete and explain them. What
 * meshaware does is decided by core reading the same keys through {@link SpringConfigSource}, with
 * core's forms: a value core accepts but Spring cannot bind here (such as {@code 1.5s}) is left out
 * of this object instead of failing the application.
 */
@ConfigurationProperties(prefix = "meshaware", ignoreInvalidFields = true)
public class MeshawareProperties {
  /** Whether meshaware is on. false turns every feature off. */
  private boolean enabled = true;

  /** Whether to log DEBUG lines: what was applied or skipped, and why. */
  private boolean debug = false;

  /**
   * Which mesh the pod is in. auto: find out from the pod (annotations file, listening ports,
   * traffic redirection); istio or linkerd: that mesh; none: no mesh, every feature off.
   */
  private MeshChoice mesh = MeshChoice.AUTO;

  private final Startup startup = new Startup();

  private final Propagation propagation = new Propagation();

  private final Bind bind = new Bind();

  private final Shutdown shutdown = new Shutdown();

  private final Diagnostics diagnostics = new Diagnostics();

  private final Report report = new Report();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean isDebug() {
    return debug;
  }

  public void setDebug(boolean debug) {
    this.debug = debug;
  }

  public MeshChoice getMesh() {
    return mesh;
  }

  public void setMesh(MeshChoice mesh) {
    this.mesh = mesh;
  }

  public Startup getStartup() {
    return startup;
  }

  public Bind getBind() {
    return bind;
  }

  public Shutdown getShutdown() {
    return shutdown;
  }

  public Diagnostics getDiagnostics() {
    return diagnostics;
  }

  public Report getReport() {
    return report;
  }

  public Propagation getPropagation() {
    return propagation;
  }

  /** The startup gate: hold the application until the sidecar can carry its traffic. */
  public static class Startup {
    /**
     * When to wait for the sidecar. auto: only in Kubernetes (KUBERNETES_SERVICE_HOST set); always:
     * everywhere; never: do not wait.
     */
    private StartupMode mode = StartupMode.AUTO;

    /** Sidecar readiness URLs (http:// only); every one must answer HTTP 200. */
    private List<String> readyUrl =
        new ArrayList<>(List.of("http://127.0.0.1:15020/healthz/ready"));

    /** Overall deadline of the wait, 0 to 1h. */
    private Duration timeout = Duration.ofSeconds(60);

    /**
     * What to do when the sidecar is not ready by the deadline. continue: warn and start; exit:
     * exit with status 75 so that Kubernetes restarts the container.
     */
    private OnTimeout onTimeout = OnTimeout.CONTINUE;

    /** Pause between probes, 10ms to 10s. */
    private Duration pollInterval = Duration.ofMillis(20);

    /**
     * In auto mode, how long nothing may listen on the status port before concluding that the pod
     * has no sidecar.
     */
    private Duration noSidecarAfter = Duration.ofSeconds(5);

    /**
     * Downward-API file with the pod's annotations: sidecar.istio.io/status present means wait,
     * absent means start at once.
     */
    private String podAnnotationsFile;

    public StartupMode getMode() {
      return mode;
    }

    public void setMode(StartupMode mode) {
      this.mode = mode;
    }

    public List<String> getReadyUrl() {
      return readyUrl;
    }

    public void setReadyUrl(List<String> readyUrl) {
      this.readyUrl = readyUrl;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public OnTimeout getOnTimeout() {
      return onTimeout;
    }

    public void setOnTimeout(OnTimeout onTimeout) {
      this.onTimeout = onTimeout;
    }

    public Duration getPollInterval() {
      return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    public Duration getNoSidecarAfter() {
      return noSidecarAfter;
    }

    public void setNoSidecarAfter(Duration noSidecarAfter) {
      this.noSidecarAfter = noSidecarAfter;
    }

    public String getPodAnnotationsFile() {
      return podAnnotationsFile;
    }

    public void setPodAnnotationsFile(String podAnnotationsFile) {
      this.podAnnotationsFile = podAnnotationsFile;
    }
  }

  /** Header forwarding: copy each inbound request's trace headers to the calls it makes. */
  public static class Propagation {
    /** Whether to forward trace headers from each inbound request to its outbound calls. */
    private boolean enabled = true;

    /**
     * Headers to forward besides the trace headers, e.g. those a VirtualService routes on
     * (end-user). authorization and cookie are forwarded only when named here.
     */
    private List<String> extraHeaders = new ArrayList<>();

    /**
     * Hosts that never receive forwarded headers: names, *.suffix patterns, * or IP addresses, each
     * optionally with :port, e.g. *.googleapis.com or [::1]:8080. While set, a host that cannot be
     * read counts as excluded; an entry that can never match is reported at start.
     */
    private List<String> excludeHosts = new ArrayList<>();

    /**
     * Kafka topics whose records never receive forwarded headers: topic names or prefix* patterns
     * (* alone: every topic), e.g. audit-log or partner.*. An entry no topic name can match is
     * reported at start.
     */
    private List<String> excludeTopics = new ArrayList<>();

    /**
     * What periodic tasks scheduled during a request carry. none: nothing (their calls start new
     * traces); inherit: that request's headers, on every run.
     */
    private PeriodicWork periodic = PeriodicWork.NONE;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public List<String> getExtraHeaders() {
      return extraHeaders;
    }

    public void setExtraHeaders(List<String> extraHeaders) {
      this.extraHeaders = extraHeaders;
    }

    public List<String> getExcludeHosts() {
      return excludeHosts;
    }

    public void setExcludeHosts(List<String> excludeHosts) {
      this.excludeHosts = excludeHosts;
    }

    public List<String> getExcludeTopics() {
      return excludeTopics;
    }

    public void setExcludeTopics(List<String> excludeTopics) {
      this.excludeTopics = excludeTopics;
    }

    public PeriodicWork getPeriodic() {
      return periodic;
    }

    public void setPeriodic(PeriodicWork periodic) {
      this.periodic = periodic;
    }
  }

  /** The listen-address check of every server socket. */
  public static class Bind {
    /**
     * warn: one line for each server socket the sidecar cannot reach or that takes a sidecar port;
     * fail: refuse such a bind; off: no check. Unless set, applies only where a sidecar is or could
     * be.
     */
    private BindCheckMode check = BindCheckMode.WARN;

    /** Ports meant to listen on loopback only (an admin or debug port): no message for them. */
    private List<Integer> allowLoopbackPorts = new ArrayList<>();

    /**
     * How long the sidecar keeps an idle connection to the application open (Istio's default; 0s:
     * never). A server that closes idle keep-alive connections sooner gets one line with both
     * numbers and both fixes.
     */
    private Duration sidecarIdleTimeout = Duration.ofHours(1);

    public BindCheckMode getCheck() {
      return check;
    }

    public void setCheck(BindCheckMode check) {
      this.check = check;
    }

    public List<Integer> getAllowLoopbackPorts() {
      return allowLoopbackPorts;
    }

    public void setAllowLoopbackPorts(List<Integer> allowLoopbackPorts) {
      this.allowLoopbackPorts = allowLoopbackPorts;
    }

    public Duration getSidecarIdleTimeout() {
      return sidecarIdleTimeout;
    }

    public void setSidecarIdleTimeout(Duration sidecarIdleTimeout) {
      this.sidecarIdleTimeout = sidecarIdleTimeout;
    }
  }

  /** Shutdown in step with the proxy. */
  public static class Shutdown {
    /**
     * After SIGTERM, how long the application keeps serving before its shutdown begins, while the
     * mesh stops sending it requests.
     */
    private Duration delay = Duration.ofSeconds(3);

    /** After the delay, how long to wait at most for inbound requests still in flight. */
    private Duration drainTimeout = Duration.ofSeconds(1);

    /**
     * auto: tell the proxy to quit when the JVM ends on its own with status 0 (a finished Job);
     * always: whenever the JVM ends; never: do not.
     */
    private WhenToQuit quitProxy = WhenToQuit.AUTO;

    /** Where the proxy is told to quit (an empty POST). */
    private String quitUrl = "http://127.0.0.1:15020/quitquitquit";

    public Duration getDelay() {
      return delay;
    }

    public void setDelay(Duration delay) {
      this.delay = delay;
    }

    public Duration getDrainTimeout() {
      return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
      this.drainTimeout = drainTimeout;
    }

    public WhenToQuit getQuitProxy() {
      return quitProxy;
    }

    public void setQuitProxy(WhenToQuit quitProxy) {
      this.quitProxy = quitProxy;
    }

    public String getQuitUrl() {
      return quitUrl;
    }

    public void setQuitUrl(String quitUrl) {
      this.quitUrl = quitUrl;
    }
  }

  /** Explanations of outbound calls that failed in the mesh. */
  public static class Diagnostics {
    /** Whether to explain outbound calls a sidecar answered or closed, in one line each. */
    private boolean enabled = true;

    /** At most one line per destination host and cause within this interval. */
    private Duration repeatInterval = Duration.ofMinutes(1);

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public Duration getRepeatInterval() {
      return repeatInterval;
    }

    public void setRepeatInterval(Duration repeatInterval) {
      this.repeatInterval = repeatInterval;
    }
  }

  /** The startup report printed once after start. */
  public static class Report {
    /** Whether to print the startup report. */
    private boolean enabled = true;

    /** How long after start the report is printed. */
    private Duration delay = Duration.ofSeconds(10);

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public Duration getDelay() {
      return delay;
    }

    public void setDelay(Duration delay) {
      this.delay = delay;
    }
  }
}
