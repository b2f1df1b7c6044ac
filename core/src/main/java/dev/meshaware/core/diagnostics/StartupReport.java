package dev.meshaware.core.diagnostics;

import dev.meshaware.core.log.MeshLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one block that tells an operator what meshaware found and did at start-up. Features add their
 * own {@link ReportSection}; the agent prints the report once after start-up, the starter serves it
 * at {@code /actuator/meshaware}. A section that is not added does not appear: the report never
 * shows placeholders.
 */
public final class StartupReport {
  /** The mesh mode and what showed it. */
  public static final int ORDER_MESH = 50;

  /** The startup gate's verdict and wait, and what is known of the sidecar. */
  public static final int ORDER_GATE = 100;

  /** The application's listeners and their bind verdicts. */
  public static final int ORDER_LISTENERS = 200;

  /** Which inbound, outbound, thread-hop and diagnostics instrumentations are active. */
  public static final int ORDER_INSTRUMENTATION = 300;

  /** Mesh failure diagnostics: on or off, failures so far. */
  public static final int ORDER_DIAGNOSTICS = 400;

  /** The shutdown policy. */
  public static final int ORDER_SHUTDOWN = 500;

  /** Anything else. */
  public static final int ORDER_OTHER = 900;

  /** The first line of the printed report, for grep. */
  public static final String HEADING = "startup report";

  private static final List<ReportSection> SECTIONS = new CopyOnWriteArrayList<>();

  private StartupReport() {}

  /** Adds {@code section}, replacing an earlier section with the same title. */
  public static synchronized void add(ReportSection section) {
    SECTIONS.removeIf(existing -> existing.title().equals(section.title()));
    SECTIONS.add(section);
  }

  /** Removes every section (tests). */
  public static synchronized void clear() {
    SECTIONS.clear();
  }

  /** The sections in report order. */
  public static List<ReportSection> sections() {
    List<ReportSection> sorted = new ArrayList<>(SECTIONS);
    sorted.sort(Comparator.comparingInt(ReportSection::order)); // stable: then by addition
    return Collections.unmodifiableList(sorted);
  }

  /**
   * The report as data, for an endpoint: section title, then its facts in order. Sections whose
   * facts are empty, or that fail to produce them, are left out.
   */
  public static Map<String, Map<String, String>> asMap() {
    Map<String, Map<String, String>> report = new LinkedHashMap<>();
    for (ReportSection section : sections()) {
      Map<String, String> facts = factsOf(section);
      if (!facts.isEmpty()) {
        report.put(section.title(), facts);
      }
    }
    return report;
  }

  /** The report as the lines printed, without the {@code [meshaware]} prefix. */
  public static List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add(HEADING);
    for (Map.Entry<String, Map<String, String>> section : asMap().entrySet()) {
      lines.add("  " + section.getKey());
      int width = 0;
      for (String name : section.getValue().keySet()) {
        width = Math.max(width, name.length());
      }
      for (Map.Entry<String, String> fact : section.getValue().entrySet()) {
        StringBuilder line = new StringBuilder("    ").append(fact.getKey()).append(':');
        for (int i = fact.getKey().length(); i < width + 1; i++) {
          line.append(' ');
        }
        lines.add(line.append(fact.getValue()).toString());
      }
    }
    return lines;
  }

  /** Prints the report as one block of {@code [meshaware]} lines. */
  public static void print() {
    MeshLog.block(lines());
  }

  private static Map<String, String> factsOf(ReportSection section) {
    try {
      Map<String, String> facts = section.facts();
      return facts == null ? Collections.emptyMap() : facts;
    } catch (RuntimeException e) {
      MeshLog.debug("report section '" + section.title() + "' failed: " + e);
      return Collections.emptyMap();
    }
  }
}
