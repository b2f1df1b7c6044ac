package dev.meshaware.agent.instrument.references;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Run when the agent is built (Maven's {@code process-classes} phase): writes the names of core's
 * classes, every class after its super class and interfaces, so that the agent defines them in the
 * bootstrap loader in one pass, reading only those entries of its jar.
 */
public final class CoreClassOrder {
  /** Where the list lives in the agent jar. */
  public static final String RESOURCE = "META-INF/meshaware/core-classes.txt";

  private static final String CORE = "dev/meshaware/core/";

  private CoreClassOrder() {}

  /** {@code args[0]}: the file to write. */
  public static void main(String[] args) throws Exception {
    Map<String, byte[]> classes = coreClasses();
    Set<String> ordered = new LinkedHashSet<>();
    for (String name : classes.keySet()) {
      add(name, classes, ordered);
    }
    List<String> lines = new ArrayList<>();
    lines.add("# core's classes, super types first; generated at build");
    lines.addAll(ordered);
    Path out = Paths.get(args[0]);
    Files.createDirectories(out.getParent());
    Files.write(out, lines, StandardCharsets.UTF_8);
    System.out.println(
        "[meshaware build] order of " + ordered.size() + " core classes written to " + out);
  }

  private static void add(String name, Map<String, byte[]> classes, Set<String> ordered) {
    if (ordered.contains(name) || !classes.containsKey(name)) {
      return;
    }
    ClassReader reader = new ClassReader(classes.get(name));
    if (reader.getSuperName() != null) {
      add(reader.getSuperName() + ".class", classes, ordered);
    }
    for (String each : reader.getInterfaces()) {
      add(each + ".class", classes, ordered);
    }
    ordered.add(name);
  }

  /** Core's class files by jar path, from the build's class path (a directory or a jar). */
  private static Map<String, byte[]> coreClasses() throws Exception {
    URL marker = CoreClassOrder.class.getClassLoader().getResource(CORE + "AgentStatus.class");
    if (marker == null) {
      throw new IOException("core is not on the class path");
    }
    Map<String, byte[]> classes = new TreeMap<>();
    if (marker.getProtocol().equals("jar")) {
      String file = marker.getPath().substring("file:".length(), marker.getPath().indexOf('!'));
      try (JarFile jar = new JarFile(file)) {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
          JarEntry entry = entries.nextElement();
          if (entry.getName().startsWith(CORE) && entry.getName().endsWith(".class")) {
            try (InputStream in = jar.getInputStream(entry)) {
              classes.put(entry.getName(), in.readAllBytes());
            }
          }
        }
      }
    } else {
      Path root = Paths.get(marker.toURI()).getParent();
      for (int i = 0; i < 3; i++) {
        root = root.getParent(); // .../dev/meshaware/core -> the class path root
      }
      Path base = root;
      try (Stream<Path> files = Files.walk(base.resolve(CORE))) {
        for (Path file : (Iterable<Path>) files::iterator) {
          if (file.toString().endsWith(".class")) {
            classes.put(
                base.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
          }
        }
      }
    }
    return classes;
  }
}
