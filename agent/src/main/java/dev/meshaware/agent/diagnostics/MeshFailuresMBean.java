package dev.meshaware.agent.diagnostics;

import dev.meshaware.core.diagnostics.FailureCount;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.RetriedRequests;
import dev.meshaware.core.diagnostics.StartupReport;
import dev.meshaware.core.log.MeshLog;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.InstanceAlreadyExistsException;
import javax.management.ObjectName;

/**
 * Serves {@link MeshDiagnostics#counters()}, the retried requests ({@link RetriedRequests}) and the
 * startup report over JMX.
 */
public final class MeshFailuresMBean implements MeshFailuresMXBean {
  /** The name it is registered under. */
  public static final String OBJECT_NAME = "dev.meshaware:type=MeshFailures";

  /**
   * Registers the MBean with the platform MBean server; never throws. Called after start-up, not in
   * {@code premain}: the platform MBean server starts JMX and java.util.logging, which some
   * applications (JBoss LogManager users) must configure first.
   */
  public static void register() {
    try {
      ManagementFactory.getPlatformMBeanServer()
          .registerMBean(new MeshFailuresMBean(), new ObjectName(OBJECT_NAME));
    } catch (InstanceAlreadyExistsException e) {
      MeshLog.debug(OBJECT_NAME + " is already registered");
    } catch (Throwable t) {
      MeshLog.debug("cannot register " + OBJECT_NAME + ": " + t);
    }
  }

  @Override
  public long getTotal() {
    return MeshDiagnostics.counters().total();
  }

  @Override
  public Map<String, Long> getFailuresByCause() {
    Map<String, Long> byCause = new LinkedHashMap<>();
    for (FailureCount count : MeshDiagnostics.counters().snapshot()) {
      byCause.merge(count.cause().code(), count.count(), Long::sum);
    }
    return byCause;
  }

  @Override
  public Map<String, Long> getFailuresByCauseAndHost() {
    Map<String, Long> byCauseAndHost = new LinkedHashMap<>();
    for (FailureCount count : MeshDiagnostics.counters().snapshot()) {
      byCauseAndHost.put(count.cause().code() + " " + count.host(), count.count());
    }
    return byCauseAndHost;
  }

  @Override
  public Map<String, Long> getRetriedRequests() {
    Map<String, Long> byMethod = new LinkedHashMap<>();
    byMethod.put("POST", RetriedRequests.count("POST"));
    byMethod.put("PATCH", RetriedRequests.count("PATCH"));
    return byMethod;
  }

  @Override
  public String getStartupReport() {
    return String.join("\n", StartupReport.lines());
  }
}
