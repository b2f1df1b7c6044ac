package dev.meshaware.core.config;

import dev.meshaware.core.bind.BindCheckMode;
import dev.meshaware.core.bind.PortList;
import dev.meshaware.core.propagation.HeaderNames;
import dev.meshaware.core.propagation.HostGlobs;
import dev.meshaware.core.propagation.PeriodicWork;
import dev.meshaware.core.propagation.TopicGlobs;
import dev.meshaware.core.shutdown.WhenToQuit;
import dev.meshaware.core.startup.MeshChoice;
import dev.meshaware.core.startup.OnTimeout;
import dev.meshaware.core.startup.StartupMode;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every key meshaware reads, with its default: the single source of truth for the agent, the
 * starter and the README's configuration table (a test keeps the README in step).
 */
public final class MeshawareKeys {
  private MeshawareKeys() {}

  public static final Setting<Boolean> ENABLED =
      Setting.flag("meshaware.enabled", true, "Master switch: false turns every feature off.");

  public static final Setting<Boolean> DEBUG =
      Setting.flag(
          "meshaware.debug",
          false,
          "Print DEBUG lines: which instrumentations applied or were skipped, and why.");

  public static final Setting<MeshChoice> MESH =
      Setting.choice(
          "meshaware.mesh",
          MeshChoice.class,
          MeshChoice.AUTO,
          "auto: find the mesh mode from the pod (annotations file, listening ports, traffic"
              + " redirection); istio or linkerd: that mesh (its sidecar, native sidecar or"
              + " ambient mode still from the annotations); none: no mesh, every feature off.");

  public static final Setting<StartupMode> STARTUP_MODE =
      Setting.choice(
          "meshaware.startup.mode",
          StartupMode.class,
          StartupMode.AUTO,
          "auto: wait for the sidecar only in Kubernetes (KUBERNETES_SERVICE_HOST set);"
              + " always: wait everywhere; never: do not wait.");

  public static final Setting<List<HttpEndpoint>> STARTUP_READY_URL =
      Setting.of(
          "meshaware.startup.ready-url",
          "http://127.0.0.1:15020/healthz/ready",
          "a comma-separated list of " + HttpEndpoint.ACCEPTED_FORM,
          "Sidecar readiness endpoint(s); every one must answer HTTP 200."
              + " Istio's pilot-agent serves 15020/healthz/ready (1.5 to today); unless set, a"
              + " Linkerd pod's gate asks Linkerd's proxy at http://127.0.0.1:4191/ready.",
          HttpEndpoint::parseList);

  public static final Setting<Duration> STARTUP_TIMEOUT =
      Setting.duration(
          "meshaware.startup.timeout",
          "60s",
          Duration.ZERO,
          Duration.ofHours(1),
          "Overall deadline of the wait (the same as Istio's own `pilot-agent wait`).");

  public static final Setting<OnTimeout> STARTUP_ON_TIMEOUT =
      Setting.choice(
          "meshaware.startup.on-timeout",
          OnTimeout.class,
          OnTimeout.CONTINUE,
          "continue: warn and start anyway; exit: print why and exit with status 75.");

  public static final Setting<Duration> STARTUP_POLL_INTERVAL =
      Setting.duration(
          "meshaware.startup.poll-interval",
          "20ms",
          Duration.ofMillis(10),
          Duration.ofSeconds(10),
          "Pause between probes. 20ms finds the sidecar ready 10 ms after it is, on average,"
              + " for about 50 loopback requests a second, only while waiting.");

  public static final Setting<Duration> STARTUP_NO_SIDECAR_AFTER =
      Setting.duration(
          "meshaware.startup.no-sidecar-after",
          "5s",
          Duration.ZERO,
          Duration.ofHours(1),
          "In auto mode, how long nothing may listen on the status port before meshaware"
              + " concludes the pod has no sidecar and starts. pilot-agent opens the port"
              + " within about a second of its container starting; raise this if the proxy"
              + " image pulls slowly, or mount the pod annotations for an exact answer.");

  public static final Setting<String> STARTUP_POD_ANNOTATIONS_FILE =
      Setting.text(
          "meshaware.startup.pod-annotations-file",
          "",
          "a file path, e.g. /etc/podinfo/annotations (a downward-API volume)",
          "Pod annotations file: sidecar.istio.io/status present means a sidecar exists"
              + " (wait for it); absent means none (start at once).");

  public static final Setting<Boolean> PROPAGATION_ENABLED =
      Setting.flag(
          "meshaware.propagation.enabled",
          true,
          "Forward trace headers from each inbound request to the outbound calls it makes.");

  public static final Setting<List<String>> PROPAGATION_EXTRA_HEADERS =
      Setting.of(
          "meshaware.propagation.extra-headers",
          "",
          "a comma-separated list of header names, e.g. end-user,x-tenant",
          "Headers to forward besides the trace headers, e.g. those a VirtualService routes on."
              + " authorization and cookie are forwarded only when named here.",
          MeshawareKeys::headerNames);

  public static final Setting<HostGlobs> PROPAGATION_EXCLUDE_HOSTS =
      Setting.of(
          "meshaware.propagation.exclude-hosts",
          "",
          HostGlobs.ACCEPTED_FORM,
          "Hosts that never receive forwarded headers (third-party APIs outside the mesh).",
          HostGlobs::parse);

  public static final Setting<TopicGlobs> PROPAGATION_EXCLUDE_TOPICS =
      Setting.of(
          "meshaware.propagation.exclude-topics",
          "",
          TopicGlobs.ACCEPTED_FORM,
          "Kafka topics whose records never receive forwarded headers (topics read outside the"
              + " mesh's trust, e.g. by partners).",
          TopicGlobs::parse);

  public static final Setting<PeriodicWork> PROPAGATION_PERIODIC =
      Setting.choice(
          "meshaware.propagation.periodic",
          PeriodicWork.class,
          PeriodicWork.NONE,
          "none: periodic tasks and timers scheduled during a request carry no headers;"
              + " inherit: they carry that request's headers on every run.");

  public static final Setting<BindCheckMode> BIND_CHECK =
      Setting.choice(
          "meshaware.bind.check",
          BindCheckMode.class,
          BindCheckMode.WARN,
          "warn: one line for each server socket the sidecar cannot reach or that takes a"
              + " sidecar port; fail: refuse such a bind with a java.net.BindException carrying"
              + " the same message; off: no check. Unless set explicitly, applies only where a"
              + " sidecar is or could be (the rule of the gate's auto mode).");

  public static final Setting<Set<Integer>> BIND_ALLOW_LOOPBACK_PORTS =
      Setting.of(
          "meshaware.bind.allow-loopback-ports",
          "",
          PortList.ACCEPTED_FORM,
          "Ports meant to listen on loopback only (an admin or debug port): no message for them."
              + " Sidecar ports are reported whatever this says.",
          PortList::parse);

  /**
   * How long the sidecar keeps an idle connection to this application's servers open; a server that
   * closes sooner races the sidecar's next request (503 UC).
   */
  public static final Setting<Duration> BIND_SIDECAR_IDLE_TIMEOUT =
      Setting.duration(
          "meshaware.bind.sidecar-idle-timeout",
          "1h",
          Duration.ZERO,
          Duration.ofDays(365),
          "How long the sidecar keeps an idle connection to the application open (Istio's"
              + " default: 1h; 0s: never closes it). A server listening where a sidecar may be"
              + " that closes idle keep-alive connections sooner gets one line with both numbers"
              + " and both fixes.");

  public static final Setting<Duration> SHUTDOWN_DELAY =
      Setting.duration(
          "meshaware.shutdown.delay",
          "3s",
          Duration.ZERO,
          Duration.ofHours(1),
          "After SIGTERM, how long the application keeps serving before its shutdown begins,"
              + " while the mesh stops sending it requests. Unless set explicitly, applies only"
              + " where a sidecar is or could be.");

  public static final Setting<Duration> SHUTDOWN_DRAIN_TIMEOUT =
      Setting.duration(
          "meshaware.shutdown.drain-timeout",
          "1s",
          Duration.ZERO,
          Duration.ofHours(1),
          "After the delay, how long to wait at most for inbound requests still in flight.");

  public static final Setting<WhenToQuit> SHUTDOWN_QUIT_PROXY =
      Setting.choice(
          "meshaware.shutdown.quit-proxy",
          WhenToQuit.class,
          WhenToQuit.AUTO,
          "auto: when the JVM ends on its own with status 0 and no SIGTERM arrived (a finished"
              + " Job), and a sidecar is or could be here, tell the proxy to quit after the"
              + " application's shutdown hooks; always: whenever the JVM ends; never: do not.");

  public static final Setting<HttpEndpoint> SHUTDOWN_QUIT_URL =
      Setting.of(
          "meshaware.shutdown.quit-url",
          "http://127.0.0.1:15020/quitquitquit",
          HttpEndpoint.ACCEPTED_FORM,
          "Where the proxy is told to quit (an empty POST). pilot-agent serves it on 15020;"
              + " unless set, a Linkerd pod's proxy is told at http://127.0.0.1:4191/shutdown.",
          HttpEndpoint::parse);
  public static final Setting<Boolean> DIAGNOSTICS_ENABLED =
      Setting.flag(
          "meshaware.diagnostics.enabled",
          true,
          "Explain outbound calls that failed in the mesh (answered by a sidecar, or closed"
              + " without an answer): one WARNING line with cause and hint, and counters.");

  public static final Setting<Duration> DIAGNOSTICS_REPEAT_INTERVAL =
      Setting.duration(
          "meshaware.diagnostics.repeat-interval",
          "1m",
          Duration.ofSeconds(1),
          Duration.ofHours(1),
          "At most one line per destination host and cause within this interval; the next line"
              + " says how many were not logged.");

  public static final Setting<Boolean> REPORT_ENABLED =
      Setting.flag(
          "meshaware.report.enabled",
          true,
          "Print the startup report (gate verdict, active instrumentations...) once after start.");

  public static final Setting<Duration> REPORT_DELAY =
      Setting.duration(
          "meshaware.report.delay",
          "10s",
          Duration.ZERO,
          Duration.ofHours(1),
          "How long after the agent starts it prints the startup report: long enough for the"
              + " application to bind its ports and load its HTTP clients.");

  private static List<String> headerNames(String text) {
    List<String> names = new java.util.ArrayList<>();
    for (String raw : text.split(",")) {
      String name = raw.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      if (!HeaderNames.isToken(name)) {
        throw new IllegalArgumentException("'" + raw.trim() + "' is not a header name");
      }
      names.add(name);
    }
    return Collections.unmodifiableList(names);
  }

  /** Every key, in the order the README documents them. */
  public static final List<Setting<?>> ALL =
      Collections.unmodifiableList(
          Arrays.asList(
              ENABLED,
              DEBUG,
              MESH,
              STARTUP_MODE,
              STARTUP_READY_URL,
              STARTUP_TIMEOUT,
              STARTUP_ON_TIMEOUT,
              STARTUP_POLL_INTERVAL,
              STARTUP_NO_SIDECAR_AFTER,
              STARTUP_POD_ANNOTATIONS_FILE,
              PROPAGATION_ENABLED,
              PROPAGATION_EXTRA_HEADERS,
              PROPAGATION_EXCLUDE_HOSTS,
              PROPAGATION_EXCLUDE_TOPICS,
              PROPAGATION_PERIODIC,
              BIND_CHECK,
              BIND_ALLOW_LOOPBACK_PORTS,
              BIND_SIDECAR_IDLE_TIMEOUT,
              SHUTDOWN_DELAY,
              SHUTDOWN_DRAIN_TIMEOUT,
              SHUTDOWN_QUIT_PROXY,
              SHUTDOWN_QUIT_URL,
              DIAGNOSTICS_ENABLED,
              DIAGNOSTICS_REPEAT_INTERVAL,
              REPORT_ENABLED,
              REPORT_DELAY));
}
