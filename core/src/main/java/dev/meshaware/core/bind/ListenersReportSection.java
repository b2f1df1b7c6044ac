package dev.meshaware.core.bind;

import dev.meshaware.core.diagnostics.ReportSection;
import dev.meshaware.core.diagnostics.StartupReport;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The startup report's section on server sockets: every address and port the application listened
 * on, with the check's verdict, so an operator can name the Service ports (pitfall 1) and see at a
 * glance which listener the mesh cannot reach (pitfall 10), and each server's idle keep-alive
 * timeout beside the sidecar's ({@link KeepAliveCheck}).
 */
public final class ListenersReportSection implements ReportSection {
  private static final int MAX_LISTENERS = 64;
  private static final Map<String, String> LISTENERS =
      Collections.synchronizedMap(new LinkedHashMap<>());

  /** Records one listener; after {@value #MAX_LISTENERS} the rest are counted, not kept. */
  static void record(String address, BindVerdict verdict) {
    record(address, verdict.name().toLowerCase(Locale.ROOT).replace('_', '-'));
  }

  /** Records the idle timeouts of the server on {@code port} and of the sidecar in front of it. */
  static void recordIdleTimeout(int port, String text) {
    record("port " + port + " idle timeout", text);
  }

  private static void record(String key, String value) {
    synchronized (LISTENERS) {
      if (LISTENERS.size() < MAX_LISTENERS || LISTENERS.containsKey(key)) {
        LISTENERS.put(key, value);
      }
    }
  }

  @Override
  public String title() {
    return "listeners";
  }

  @Override
  public int order() {
    return StartupReport.ORDER_LISTENERS;
  }

  @Override
  public Map<String, String> facts() {
    synchronized (LISTENERS) {
      if (LISTENERS.isEmpty()) {
        return Map.of("server sockets", "none yet");
      }
      return new LinkedHashMap<>(LISTENERS);
    }
  }
}
