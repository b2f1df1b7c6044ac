package dev.meshaware.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Where the JDK's own classes live, to read them before they load. For the background thread. */
public final class JdkClasses {
  private static volatile Map<String, Module> packages;

  private JdkClasses() {}

  /** The JDK module (boot or platform loader) holding {@code typeName}, or null: not the JDK's. */
  public static Module moduleOf(String typeName) {
    int dot = typeName.lastIndexOf('.');
    return dot < 0 ? null : packages().get(typeName.substring(0, dot));
  }

  private static Map<String, Module> packages() {
    Map<String, Module> known = packages;
    if (known == null) {
      known = new HashMap<>();
      ClassLoader platform = ClassLoader.getPlatformClassLoader();
      for (Module module : ModuleLayer.boot().modules()) {
        ClassLoader loader = module.getClassLoader();
        if (loader == null || loader == platform) {
          for (String name : module.getPackages()) {
            known.put(name, module);
          }
        }
      }
      packages = known;
    }
    return known;
  }

  /** The class file of {@code internalName} in {@code module}, or null. */
  public static byte[] bytes(Module module, String internalName) {
    try (InputStream in = module.getResourceAsStream(internalName + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The binary names of the classes loaded so far. */
  public static Set<String> loadedNames(Instrumentation jvm) {
    Set<String> names = new HashSet<>();
    for (Class<?> type : jvm.getAllLoadedClasses()) {
      names.add(type.getName());
    }
    return names;
  }
}
