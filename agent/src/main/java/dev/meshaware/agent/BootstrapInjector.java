package dev.meshaware.agent;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Defines meshaware's core classes in the bootstrap class loader, before anything else loads them.
 * Advice is inlined into classes of every loader (the JDK's own executors and HTTP clients,
 * Tomcat's, a Spring Boot jar's), and inlined code sees only what its class's loader sees: the
 * bootstrap loader is the one loader they all reach.
 *
 * <p>The classes are defined one by one through the JDK's internal {@code Unsafe} rather than by
 * appending a jar to the bootstrap class path, because an appended jar switches class-data sharing
 * off for every class outside the boot loader ("Sharing is only supported for boot loader classes
 * because bootstrap classpath has been appended"), which costs applications that use AppCDS or
 * Spring Boot's CDS support their start-up gain. Appending stays as the fallback.
 *
 * <p>This class must not touch any core class itself: one loaded by the application class loader
 * first would exist twice.
 */
final class BootstrapInjector {
  /** Packages (as jar paths) that must live in the bootstrap loader. */
  static final String CORE_PREFIX = "dev/meshaware/core/";

  private BootstrapInjector() {}

  /** Injects the core classes; returns how it was done, for the debug log. */
  static String inject(Instrumentation instrumentation) throws IOException {
    long start = System.nanoTime();
    File jar = agentJar();
    Map<String, byte[]> classes = readClasses(jar);
    long read = System.nanoTime();
    try {
      defineWithUnsafe(instrumentation, classes);
      return "defined " + classes.size() + " classes in the bootstrap loader" + took(start, read);
    } catch (Exception | LinkageError e) {
      appendAsJar(instrumentation, classes);
      return "appended "
          + classes.size()
          + " classes to the bootstrap class path ("
          + e
          + ")"
          + took(start, read);
    }
  }

  private static String took(long start, long read) {
    return " in "
        + (System.nanoTime() - start) / 1_000_000
        + " ms (reading the jar "
        + (read - start) / 1_000_000
        + " ms)";
  }

  static File agentJar() throws IOException {
    try {
      return new File(
          BootstrapInjector.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IOException("cannot locate the agent jar", e);
    }
  }

  /** core's classes, super types first, written when the agent is built. */
  static final String ORDER = "META-INF/meshaware/core-classes.txt";

  private static Map<String, byte[]> readClasses(File file) throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    try (JarFile jar = new JarFile(file)) {
      if (readInOrder(jar, classes)) {
        return classes;
      }
      classes.clear();
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        String name = entry.getName();
        if (name.startsWith(CORE_PREFIX) && name.endsWith(".class")) {
          try (InputStream in = jar.getInputStream(entry)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            classes.put(name, bytes.toByteArray());
          }
        }
      }
    }
    if (classes.isEmpty()) {
      throw new IOException("no core classes in " + file);
    }
    return classes;
  }

  /**
   * Reads the classes the build listed, in its order (every class after its super types, so that
   * they are defined in one pass), touching no other entry of the jar. False when the list is
   * missing or names an entry the jar lacks: the caller then reads every entry.
   */
  private static boolean readInOrder(JarFile jar, Map<String, byte[]> classes) throws IOException {
    JarEntry order = jar.getJarEntry(ORDER);
    if (order == null) {
      return false;
    }
    String text;
    try (InputStream in = jar.getInputStream(order)) {
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    for (String line : text.split("\n")) {
      String name = line.trim();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      JarEntry entry = jar.getJarEntry(name);
      if (entry == null || !name.startsWith(CORE_PREFIX)) {
        return false;
      }
      try (InputStream in = jar.getInputStream(entry)) {
        classes.put(name, in.readAllBytes());
      }
    }
    return !classes.isEmpty();
  }

  private static void defineWithUnsafe(Instrumentation instrumentation, Map<String, byte[]> classes)
      throws Exception {
    Module javaBase = Object.class.getModule();
    instrumentation.redefineModule(
        javaBase,
        Collections.emptySet(),
        Collections.emptyMap(),
        Collections.singletonMap(
            "jdk.internal.misc", Collections.singleton(BootstrapInjector.class.getModule())),
        Collections.emptySet(),
        Collections.emptyMap());
    Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
    Method getUnsafe = unsafeType.getMethod("getUnsafe");
    getUnsafe.setAccessible(true);
    Object unsafe = getUnsafe.invoke(null);
    Method define =
        unsafeType.getMethod(
            "defineClass",
            String.class,
            byte[].class,
            int.class,
            int.class,
            ClassLoader.class,
            ProtectionDomain.class);
    define.setAccessible(true);
    // A class can only be defined once its super types exist: retry until no progress is made.
    Map<String, byte[]> pending = new LinkedHashMap<>(classes);
    while (!pending.isEmpty()) {
      int before = pending.size();
      Throwable last = null;
      for (Map.Entry<String, byte[]> entry : new LinkedHashMap<>(pending).entrySet()) {
        String name = entry.getKey().substring(0, entry.getKey().length() - ".class".length());
        byte[] bytes = entry.getValue();
        try {
          define.invoke(unsafe, name.replace('/', '.'), bytes, 0, bytes.length, null, null);
          pending.remove(entry.getKey());
        } catch (java.lang.reflect.InvocationTargetException e) {
          last = e.getCause();
          if (last instanceof LinkageError
              && String.valueOf(last.getMessage()).contains("duplicate")) {
            pending.remove(entry.getKey()); // already there (a second agent copy): keep it
          }
        }
      }
      if (pending.size() == before) {
        throw new IllegalStateException("cannot define " + pending.keySet(), last);
      }
    }
  }

  private static void appendAsJar(Instrumentation instrumentation, Map<String, byte[]> classes)
      throws IOException {
    File jar = File.createTempFile("meshaware-bootstrap", ".jar");
    jar.deleteOnExit();
    try (JarOutputStream out = new JarOutputStream(new FileOutputStream(jar))) {
      for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
        out.putNextEntry(new JarEntry(entry.getKey()));
        out.write(entry.getValue());
        out.closeEntry();
      }
    }
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
  }
}
