package dev.meshaware.agent;

import dev.meshaware.agent.instrument.Background;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads, while the startup gate waits, the agent's classes that {@code premain} needs once the gate
 * has opened (shutdown handling, the listen-address check, the instrumentation installer, the
 * startup report): loading is most of the cost of running that code the first time, and the wait is
 * idle time. Classes are loaded, not initialised: nothing runs. For the background thread.
 */
final class PremainClasses {
  /** Packages (as jar paths) whose classes premain may use after the gate. */
  private static final String[] PACKAGES = {
    "dev/meshaware/agent/",
    "dev/meshaware/agent/instrument/",
    "dev/meshaware/agent/shutdown/",
    "dev/meshaware/agent/bind/",
    "dev/meshaware/agent/propagation/ownership/"
  };

  private PremainClasses() {}

  /** Loads them; never throws. */
  static void load() {
    ClassLoader loader = PremainClasses.class.getClassLoader();
    try (JarFile jar = new JarFile(BootstrapInjector.agentJar())) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        String name = entries.nextElement().getName();
        if (!Background.gateWaiting()) {
          return; // the gate opened: premain loads what it needs itself
        }
        if (name.endsWith(".class") && inPackages(name)) {
          try {
            Class.forName(
                name.substring(0, name.length() - ".class".length()).replace('/', '.'),
                false,
                loader);
          } catch (ClassNotFoundException | LinkageError e) {
            // left to load when used, as it would without this
          }
        }
      }
    } catch (Exception e) {
      dev.meshaware.core.log.MeshLog.debug("cannot load premain's classes ahead: " + e);
    }
  }

  private static boolean inPackages(String name) {
    int slash = name.lastIndexOf('/');
    String directory = name.substring(0, slash + 1);
    for (String each : PACKAGES) {
      if (directory.equals(each)) {
        return true;
      }
    }
    return false;
  }
}
