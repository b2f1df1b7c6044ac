package dev.meshaware.core.diagnostics;

import java.util.Map;

/**
 * One part of the {@link StartupReport}, contributed by the feature it describes (the startup gate,
 * the instrumentation, the listeners' bind checks, the shutdown policy...). Its facts are read each
 * time the report is built, so a section describes the moment the report is printed or served, not
 * the moment it was added.
 */
public interface ReportSection {
  /** The section's heading, e.g. {@code startup gate}; unique within the report. */
  String title();

  /**
   * The facts to show, in order: a short name and its value, e.g. {@code verdict} and {@code ready
   * after 2.43 s}. Must be quick and must not block; an empty map leaves the section out.
   */
  Map<String, String> facts();

  /**
   * Where the section goes: sections are sorted by this, then by when they were added. See the
   * {@code ORDER_} constants of {@link StartupReport}.
   */
  default int order() {
    return StartupReport.ORDER_OTHER;
  }
}
