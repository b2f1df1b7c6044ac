package dev.meshaware.spring.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Other builds of the agent jar, made from the one this build produced: as a careless repackaging
 * leaves it, or with a core of another version (classes compiled from source replaced or added,
 * others removed), as an agent of an older or newer release would ship.
 */
public final class AgentJars {
  private AgentJars() {}

  /** A copy whose manifest lacks {@code Can-Retransform-Classes: true}. */
  public static Path withoutRetransformation(Path dir) throws IOException {
    Path jar = dir.resolve("repackaged-agent.jar");
    copy(ChildApp.agentJar(), jar, Set.of(), Map.of(), "Can-Retransform-Classes");
    return jar;
  }

  /**
   * A copy whose core has the classes of {@code sources} (class name to Java source), compiled
   * against the agent jar, in place of its own, and lacks the classes named in {@code removed}.
   */
  public static Path withCore(Path dir, Map<String, String> sources, Set<String> removed)
      throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--release",
                "11",
                "-cp",
                ChildApp.agentJar().toString(),
                "-d",
                classes.toString()));
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
      arguments.add(file.toString());
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler.run(null, null, null, arguments.toArray(new String[0])) != 0) {
      throw new IllegalStateException("the replacement core classes do not compile");
    }
    Map<String, byte[]> added = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        added.put(classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
      }
    }
    Set<String> dropped = new java.util.HashSet<>(added.keySet());
    removed.forEach(name -> dropped.add(name.replace('.', '/') + ".class"));
    Path jar = dir.resolve("other-core-agent.jar");
    copy(ChildApp.agentJar(), jar, dropped, added, null);
    return jar;
  }

  private static void copy(
      Path from, Path to, Set<String> dropped, Map<String, byte[]> added, String attributeRemoved)
      throws IOException {
    try (JarFile in = new JarFile(from.toFile())) {
      Manifest manifest = new Manifest(in.getManifest());
      if (attributeRemoved != null) {
        manifest.getMainAttributes().remove(new Attributes.Name(attributeRemoved));
      }
      try (OutputStream file = Files.newOutputStream(to);
          JarOutputStream out = new JarOutputStream(file, manifest)) {
        Enumeration<JarEntry> entries = in.entries();
        while (entries.hasMoreElements()) {
          JarEntry entry = entries.nextElement();
          if (entry.getName().equals(JarFile.MANIFEST_NAME) || dropped.contains(entry.getName())) {
            continue;
          }
          out.putNextEntry(new JarEntry(entry.getName()));
          try (InputStream bytes = in.getInputStream(entry)) {
            bytes.transferTo(out);
          }
          out.closeEntry();
        }
        for (Map.Entry<String, byte[]> entry : added.entrySet()) {
          out.putNextEntry(new JarEntry(entry.getKey()));
          out.write(entry.getValue());
          out.closeEntry();
        }
      }
    }
  }
}
