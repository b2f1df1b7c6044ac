package dev.meshaware.agent.instrument.references;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The references file written at build, read once when the first target class is checked. */
public final class ReferenceIndex {
  /** Where the agent jar carries it. */
  public static final String RESOURCE = "META-INF/meshaware/references.txt";

  static final String CLASS_MARK = "@";

  /** Each class's lines as written, parsed only when that class is first checked. */
  private final Map<String, List<String>> byClass;

  private ReferenceIndex(Map<String, List<String>> byClass) {
    this.byClass = byClass;
  }

  /** Reads the file from the agent's own jar; empty (and said by the caller) when missing. */
  public static ReferenceIndex load() throws IOException {
    try (InputStream in = ReferenceIndex.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(RESOURCE + " is missing from the agent jar");
      }
      return read(in);
    }
  }

  static ReferenceIndex read(InputStream in) throws IOException {
    Map<String, List<String>> byClass = new HashMap<>();
    List<String> current = null;
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith(CLASS_MARK)) {
        current = new ArrayList<>();
        byClass.put(line.substring(CLASS_MARK.length()), current);
      } else if (current != null) {
        current.add(line);
      }
    }
    return new ReferenceIndex(byClass);
  }

  /** The advice classes and auxiliary classes of {@code instrumentation}, by binary name. */
  public static List<String> classesOf(TypeInstrumentation instrumentation) {
    List<String> classes = new ArrayList<>();
    for (AdviceSpec spec : instrumentation.advice()) {
      classes.add(spec.adviceClass());
    }
    classes.addAll(instrumentation.auxiliaryTypes());
    return classes;
  }

  /** An index that knows no class. */
  public static ReferenceIndex empty() {
    return new ReferenceIndex(Collections.emptyMap());
  }

  /** What {@code className} touches in its library; empty for a class the file does not know. */
  public List<Reference> of(String className) {
    List<String> lines = byClass.get(className);
    if (lines == null) {
      return Collections.emptyList();
    }
    List<Reference> references = new ArrayList<>(lines.size());
    for (String line : lines) {
      references.add(Reference.parse(line));
    }
    return references;
  }

  /** True when the file lists {@code className}. */
  public boolean knows(String className) {
    return byClass.containsKey(className);
  }
}
