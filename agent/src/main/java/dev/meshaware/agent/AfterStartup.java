package dev.meshaware.agent;

import dev.meshaware.agent.diagnostics.MeshFailuresMBean;
import dev.meshaware.core.diagnostics.StartupReport;
import dev.meshaware.core.log.MeshLog;
import java.time.Duration;

/**
 * What the agent does once the application has had time to start: register its MBean, print the
 * startup report and drop the classes woven ahead of a load that never came. Runs once, on a daemon
 * thread that sleeps until then, so it never holds the application or its exit.
 */
final class AfterStartup {
  private AfterStartup() {}

  static void schedule(Duration delay, boolean registerMBean, boolean printReport) {
    Thread thread =
        new Thread(
            new Runnable() {
              @Override
              public void run() {
                try {
                  Thread.sleep(delay.toMillis());
                  dev.meshaware.agent.instrument.AdviceWeaver.forgetPrepared();
                  dev.meshaware.agent.propagation.ownership.WorkOwnershipTransformer
                      .forgetPrepared();
                  if (registerMBean) {
                    MeshFailuresMBean.register();
                  }
                  if (printReport) {
                    StartupReport.print();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (Throwable t) {
                  MeshLog.debug("after start-up tasks failed: " + t);
                }
              }
            },
            "meshaware-after-startup");
    thread.setDaemon(true);
    thread.start();
  }
}
