package dev.meshaware.spring.startup;

import dev.meshaware.core.AgentStatus;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.startup.GateResult;
import dev.meshaware.core.startup.ReadinessGate;
import dev.meshaware.spring.CoreCompatibility;
import dev.meshaware.spring.SpringConfigSource;
import dev.meshaware.spring.SpringLogSink;
import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Runs the startup gate at the earliest moment Spring Boot knows the application's configuration:
 * when the environment is prepared ({@code application.properties}/{@code yaml} and profiles read,
 * logging set up), before the application context is even created, so no bean, pool or client
 * starts before the sidecar can carry its traffic. Registered in {@code META-INF/spring.factories}
 * because it acts before auto-configuration exists.
 *
 * <p>An application listener rather than a {@code SpringApplicationRunListener}: the run listener's
 * methods take a bootstrap-context type that Boot 4.0 moved, so one class could not serve 3.5 and
 * 4.0; the environment-prepared event is the same moment in both.
 */
public final class StartupGateListener implements SmartApplicationListener {
  /** After Boot's listeners that load the configuration and then set up logging. */
  static final int ORDER = LoggingApplicationListener.DEFAULT_ORDER + 1;

  private MeshawareSettings settings;
  private StartupRecord record;

  @Override
  public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
    return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType)
        || ApplicationPreparedEvent.class.isAssignableFrom(eventType);
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    if (CoreCompatibility.starterMustStayOff()) {
      return; // before anything touches core
    }
    if (event instanceof ApplicationEnvironmentPreparedEvent) {
      environmentPrepared(((ApplicationEnvironmentPreparedEvent) event).getEnvironment());
    } else if (event instanceof ApplicationPreparedEvent && settings != null) {
      contextPrepared(((ApplicationPreparedEvent) event).getApplicationContext().getBeanFactory());
    }
  }

  private void environmentPrepared(ConfigurableEnvironment environment) {
    GateResult gate = null;
    try {
      SpringConfigSource source = new SpringConfigSource(environment);
      if (!source.valueOf(MeshawareKeys.ENABLED)) {
        if (AotDetector.useGeneratedArtifacts()) {
          // Spring AOT fixed the beans at build time, with meshaware on: they find the switch
          // in these settings and stay idle.
          settings = MeshawareSettings.load(source);
        }
        return;
      }
      SpringLogSink.install();
      settings = MeshawareSettings.load(source);
      if (!AgentStatus.attached()) {
        MeshLog.enableDebug(settings.get(MeshawareKeys.DEBUG)); // else the agent's settings did
      }
      MeshawareSettings gateSettings = settings;
      record =
          StartupRecord.once(
              () -> {
                if (AgentStatus.attached()) {
                  AgentNotice.tell(source);
                }
                // An agent whose start failed before its gate leaves the gate to the starter.
                return AgentStatus.handles(AgentStatus.Feature.STARTUP_GATE)
                    ? new StartupRecord(StartupRecord.RanBy.AGENT, AgentStatus.gate())
                    : new StartupRecord(
                        StartupRecord.RanBy.STARTER, new ReadinessGate(gateSettings).await());
              });
      if (record.ranBy() == StartupRecord.RanBy.STARTER) {
        gate = record.gate();
      }
    } catch (RuntimeException | LinkageError e) {
      MeshLog.error("startup gate failed, the application starts without it: " + e);
    }
    if (gate != null) {
      gate.enforce(); // ends the JVM only under the user's meshaware.startup.on-timeout=exit
    }
  }

  /** Hands what was read before the context existed to it, so nothing is read or logged twice. */
  private void contextPrepared(ConfigurableListableBeanFactory beans) {
    if (!beans.containsSingleton("meshawareSettings")) {
      beans.registerSingleton("meshawareSettings", settings);
    }
    if (record != null && !beans.containsSingleton(StartupRecord.BEAN_NAME)) {
      beans.registerSingleton(StartupRecord.BEAN_NAME, record);
    }
  }
}
