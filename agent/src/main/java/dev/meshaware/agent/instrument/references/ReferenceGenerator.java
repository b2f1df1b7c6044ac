package dev.meshaware.agent.instrument.references;

import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.library.Libraries;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Run when the agent is built (Maven's {@code process-classes} phase): writes, for every advice and
 * auxiliary class of every library, the library types, methods and fields its bytecode touches. The
 * shape check reads the file at run time; a test checks it against each library's oldest and newest
 * supported version.
 */
public final class ReferenceGenerator {
  private ReferenceGenerator() {}

  /** {@code args[0]}: the file to write. */
  public static void main(String[] args) throws IOException {
    Path out = Paths.get(args[0]);
    TreeMap<String, Set<Reference>> byClass = new TreeMap<>();
    for (TypeInstrumentation instrumentation : Libraries.everyInstrumentation()) {
      for (String className : ReferenceIndex.classesOf(instrumentation)) {
        if (!byClass.containsKey(className)) {
          byClass.put(className, scan(className));
        }
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add("# What each advice and auxiliary class touches in its library; generated at build.");
    byClass.forEach(
        (className, references) -> {
          lines.add(ReferenceIndex.CLASS_MARK + className);
          Set<String> sorted = new TreeSet<>();
          references.forEach(r -> sorted.add(r.line()));
          lines.addAll(sorted);
        });
    Files.createDirectories(out.getParent());
    Files.write(out, lines, StandardCharsets.UTF_8);
    System.out.println(
        "[meshaware build] references of " + byClass.size() + " advice classes written to " + out);
  }

  private static Set<Reference> scan(String className) throws IOException {
    String resource = className.replace('.', '/') + ".class";
    try (InputStream in = ReferenceGenerator.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no class file " + resource);
      }
      return new ReferenceScanner(ReferenceGenerator::isLibrary)
          .scan(in.readAllBytes())
          .references();
    }
  }

  /**
   * A library's, or the JDK's internals (which change between JDK versions); neither the JDK's
   * public API nor meshaware (core, agent, its shaded Byte Buddy).
   */
  static boolean isLibrary(String internalName) {
    if (internalName.startsWith("java/")
        || internalName.startsWith("dev/meshaware/")
        || internalName.startsWith("net/bytebuddy/")) {
      return false;
    }
    if (internalName.startsWith("sun/") || internalName.startsWith("jdk/internal/")) {
      return true;
    }
    return ClassLoader.getPlatformClassLoader().getResource(internalName + ".class") == null;
  }
}
