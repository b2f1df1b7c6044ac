package dev.meshaware.agent;

import dev.meshaware.agent.bind.ServerSocketInstrumentations;
import dev.meshaware.agent.instrument.Background;
import dev.meshaware.agent.instrument.EngineWarmUp;
import dev.meshaware.agent.instrument.InstrumentationInstaller;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.library.ExecutorsLibrary;
import dev.meshaware.agent.library.Libraries;
import dev.meshaware.agent.library.LibrarySelection;
import dev.meshaware.agent.propagation.ownership.WorkOwnershipTransformer;
import dev.meshaware.agent.shutdown.ShutdownHandling;
import dev.meshaware.core.AgentStatus;
import dev.meshaware.core.bind.BindAddressCheck;
import dev.meshaware.core.bind.ListenAddressPolicy;
import dev.meshaware.core.bind.ListenersReportSection;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.diagnostics.DiagnosticsReportSection;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.StartupReport;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import dev.meshaware.core.shutdown.InflightRequests;
import dev.meshaware.core.shutdown.ProxyQuit;
import dev.meshaware.core.shutdown.ShutdownDrain;
import dev.meshaware.core.shutdown.ShutdownReportSection;
import dev.meshaware.core.startup.GateReportSection;
import dev.meshaware.core.startup.GateResult;
import dev.meshaware.core.startup.MeshDetection;
import dev.meshaware.core.startup.MeshReportSection;
import dev.meshaware.core.startup.ReadinessGate;
import dev.meshaware.core.startup.SidecarEnvironment;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the agent does at start, once core is in the bootstrap loader. */
final class AgentStart {
  private AgentStart() {}

  static void run(
      Instrumentation instrumentation, boolean atStartup, String injection, long startNanos) {
    GateResult gate = null;
    long gateEnd = 0;
    // Each feature is recorded once it is in place: a starter in this JVM does what is not.
    AgentStatus.started();
    try {
      MeshawareSettings settings = MeshawareSettings.fromSystem();
      MeshLog.enableDebug(settings.get(MeshawareKeys.DEBUG));
      MeshLog.debug(injection);
      if (!settings.get(MeshawareKeys.ENABLED)) {
        MeshLog.info("disabled (meshaware.enabled=false): the agent does nothing");
        return;
      }
      LibrarySelection libraries = LibrarySelection.from(settings, Libraries.all());
      boolean propagation = settings.get(MeshawareKeys.PROPAGATION_ENABLED);
      boolean diagnostics = settings.get(MeshawareKeys.DIAGNOSTICS_ENABLED);
      if (atStartup) {
        gate =
            new ReadinessGate(settings)
                .whileWaiting(
                    prepareWhileWaiting(instrumentation, libraries, propagation, diagnostics))
                .await();
        Background.gateWaiting(false);
        gateEnd = System.nanoTime();
        AgentStatus.gateRan(gate);
        if (gate.exitRequested()) {
          return;
        }
        StartupReport.add(GateReportSection.of(gate));
      } else {
        MeshLog.info("attached to a running JVM: the startup gate does not apply");
        StartupReport.add(GateReportSection.notRun("attached to a running JVM"));
      }
      MeshDetection mesh = SidecarEnvironment.mesh(settings, gate);
      StartupReport.add(new MeshReportSection(mesh));
      boolean meshed = mesh.mode().meshed();
      // Kind of instrumentation -> its instrumentations, in the report's order.
      Map<String, List<TypeInstrumentation>> byKind = new LinkedHashMap<>();
      Map<String, String> switchedOff = new LinkedHashMap<>();
      if (propagation) {
        Propagation.install(HeaderPolicy.from(settings));
        byKind.put(InstrumentationReportSection.INBOUND, libraries.inbound());
        byKind.put(InstrumentationReportSection.OUTBOUND, libraries.outbound());
        byKind.put(InstrumentationReportSection.THREAD_HOPS, libraries.threadHops());
      } else {
        switchedOff.put("header forwarding", "off (meshaware.propagation.enabled=false)");
      }
      ShutdownDrain drain = ShutdownDrain.from(settings, meshed);
      ProxyQuit quit = ProxyQuit.from(settings, mesh);
      List<TypeInstrumentation> shutdown =
          ShutdownHandling.install(instrumentation, drain, quit, atStartup);
      if (InflightRequests.isEnabled()) {
        AgentStatus.record(AgentStatus.Feature.SHUTDOWN); // SIGTERM is taken: the drain is on
      }
      StartupReport.add(
          new ShutdownReportSection(
              drain, quit, quit == null ? ProxyQuit.whyNone(settings, mesh) : null));
      if (!shutdown.isEmpty()) {
        byKind.put("shutdown", shutdown);
      }
      if (InflightRequests.isEnabled() && !propagation) {
        // The drain counts requests at the inbound entry points: mark them, forward nothing.
        Propagation.install(HeaderPolicy.none());
        byKind.put(InstrumentationReportSection.INBOUND, libraries.inbound());
      }
      ListenAddressPolicy listen = ListenAddressPolicy.from(settings, mesh);
      if (listen != null) {
        BindAddressCheck.install(listen);
        StartupReport.add(new ListenersReportSection());
        byKind.put("listen-address check", ServerSocketInstrumentations.all());
      } else {
        switchedOff.put("listen-address check", "off (no mesh here, or meshaware.bind.check=off)");
      }
      if (diagnostics) {
        byKind.put(InstrumentationReportSection.DIAGNOSTICS, libraries.diagnostics());
      }
      StartupReport.add(new InstrumentationReportSection(libraries, byKind, switchedOff));
      StartupReport.add(new DiagnosticsReportSection());
      List<TypeInstrumentation> instrumentations = new ArrayList<>();
      for (List<TypeInstrumentation> kind : byKind.values()) {
        instrumentations.addAll(kind);
      }
      if (!instrumentations.isEmpty() && !instrument(instrumentation, instrumentations)) {
        diagnostics = false;
      } else {
        if (propagation && libraries.isEnabled(ExecutorsLibrary.NAME)) {
          // After the other instrumentation, so that its retransformations (the JVM's exit
          // watch among them) run first on the one background thread.
          WorkOwnershipTransformer.install(instrumentation, Propagation.class.getModule());
        }
        // Diagnostics go on only now: the starter's clients report to the first owner only.
        diagnostics = diagnostics && MeshDiagnostics.install("agent", settings);
        recordInstrumented(propagation, listen != null, diagnostics);
      }
      AfterStartup.schedule(
          settings.get(MeshawareKeys.REPORT_DELAY),
          diagnostics,
          settings.get(MeshawareKeys.REPORT_ENABLED));
    } catch (Throwable t) {
      AgentStatus.failed(t.toString());
      MeshLog.error("agent start-up failed, the application runs without meshaware: " + t);
    } finally {
      MeshLog.debug(
          "premain took "
              + (System.nanoTime() - startNanos) / 1_000_000
              + " ms"
              + (gate == null
                  ? ""
                  : ", of which the startup gate "
                      + gate.waited().toMillis()
                      + " ms, then "
                      + (System.nanoTime() - gateEnd) / 1_000_000
                      + " ms after it"));
      if (gate != null) {
        gate.enforce();
      }
    }
  }

  /**
   * What the background thread does while the gate waits (idle time; with no wait, nothing of this
   * runs, so that a start with nothing to wait for does no work it might not need): rewrite the
   * JDK's executors and weave the JDK's classes that header forwarding and failure diagnostics
   * instrument, ahead of their load, so that the application's first lines after the gate find them
   * ready.
   */
  private static Runnable prepareWhileWaiting(
      Instrumentation instrumentation,
      LibrarySelection libraries,
      boolean propagation,
      boolean diagnostics) {
    return new Runnable() {
      @Override
      public void run() {
        Background.gateWaiting(true);
        List<TypeInstrumentation> likely = new ArrayList<>();
        if (propagation) {
          likely.addAll(libraries.inbound());
          likely.addAll(libraries.outbound());
          likely.addAll(libraries.threadHops());
        }
        if (diagnostics) {
          likely.addAll(libraries.diagnostics());
        }
        if (propagation && libraries.isEnabled(ExecutorsLibrary.NAME)) {
          WorkOwnershipTransformer.prepareAhead(instrumentation);
        }
        Background.run(
            new Runnable() {
              @Override
              public void run() {
                PremainClasses.load();
              }
            });
        InstrumentationInstaller.prepareAhead(instrumentation, likely);
        // Then Byte Buddy's machinery runs once more on the path of the application's own
        // libraries (Tomcat's, Netty's), which load after the gate.
        EngineWarmUp.start(instrumentation);
      }
    };
  }

  /** Registers the instrumentation; false (said in one line, recorded) when the JVM refuses it. */
  private static boolean instrument(
      Instrumentation instrumentation, List<TypeInstrumentation> instrumentations) {
    try {
      InstrumentationInstaller.install(
          instrumentation, instrumentations, Propagation.class.getModule());
      return true;
    } catch (RuntimeException | LinkageError e) {
      // E.g. a repackaged agent jar whose manifest lacks "Can-Retransform-Classes: true".
      AgentStatus.failed("instrumentation unavailable (" + e + ")");
      MeshLog.warn(
          "instrumentation unavailable (no header forwarding, listen-address check, shutdown"
              + " watch or failure diagnostics by the agent): "
              + e
              + (e instanceof UnsupportedOperationException
                  ? "; use meshaware-agent.jar as built: its manifest must say"
                      + " Can-Retransform-Classes: true"
                  : ""));
      return false;
    }
  }

  /** Records the features whose instrumentation is now in place. */
  private static void recordInstrumented(
      boolean propagation, boolean bindCheck, boolean diagnostics) {
    if (propagation) {
      AgentStatus.record(AgentStatus.Feature.HEADER_FORWARDING);
    }
    if (bindCheck) {
      AgentStatus.record(AgentStatus.Feature.BIND_CHECK);
    }
    if (diagnostics) {
      AgentStatus.record(AgentStatus.Feature.DIAGNOSTICS);
    }
  }
}
