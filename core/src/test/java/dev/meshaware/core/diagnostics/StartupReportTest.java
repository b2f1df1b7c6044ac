package dev.meshaware.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.log.CapturedLog;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StartupReportTest {

  @AfterEach
  void clear() {
    StartupReport.clear();
  }

  static ReportSection section(String title, int order, String... facts) {
    return new ReportSection() {
      @Override
      public String title() {
        return title;
      }

      @Override
      public Map<String, String> facts() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < facts.length; i += 2) {
          map.put(facts[i], facts[i + 1]);
        }
        return map;
      }

      @Override
      public int order() {
        return order;
      }
    };
  }

  @Test
  void ordersSectionsAndAlignsTheirFacts() {
    StartupReport.add(section("shutdown", StartupReport.ORDER_SHUTDOWN, "policy", "drain 5s"));
    StartupReport.add(
        section("startup gate", StartupReport.ORDER_GATE, "verdict", "ready", "waited", "2.43 s"));
    assertThat(StartupReport.lines())
        .containsExactly(
            "startup report",
            "  startup gate",
            "    verdict: ready",
            "    waited:  2.43 s",
            "  shutdown",
            "    policy: drain 5s");
  }

  @Test
  void leavesOutEmptyAndFailingSectionsAndReplacesByTitle() {
    StartupReport.add(section("empty", 10));
    StartupReport.add(
        new ReportSection() {
          @Override
          public String title() {
            return "broken";
          }

          @Override
          public Map<String, String> facts() {
            throw new IllegalStateException("bug");
          }
        });
    StartupReport.add(section("gate", 1, "verdict", "old"));
    StartupReport.add(section("gate", 1, "verdict", "new"));
    assertThat(StartupReport.asMap()).containsOnlyKeys("gate");
    assertThat(StartupReport.asMap().get("gate")).containsEntry("verdict", "new");
  }

  @Test
  void printsOneBlockWithThePrefixOnEveryLine() {
    StartupReport.add(section("gate", 1, "verdict", "ready"));
    try (CapturedLog log = new CapturedLog()) {
      StartupReport.print();
      assertThat(log.lines()).hasSize(1);
      assertThat(log.lines().get(0).split("\n"))
          .containsExactly(
              "[meshaware] startup report", "[meshaware]   gate", "[meshaware]     verdict: ready");
    }
  }

  @Test
  void theDiagnosticsSectionSaysOffOrCountsByCause() {
    MeshDiagnostics.uninstall();
    assertThat(new DiagnosticsReportSection().facts())
        .containsEntry("state", "off (meshaware.diagnostics.enabled=false)");
    MeshDiagnostics.install("test", java.time.Duration.ofMinutes(1), System::nanoTime);
    try (CapturedLog log = new CapturedLog()) {
      OutboundExchange exchange = MeshDiagnostics.response("test", 404);
      exchange
          .request("GET", "http://a/", null)
          .header("server", "envoy")
          .header("content-length", "0");
      MeshDiagnostics.record(exchange);
      assertThat(new DiagnosticsReportSection().facts())
          .containsEntry("failures so far", "NR 1")
          .containsEntry(
              "state", "on: one WARNING line per destination host and cause every 1m at most");
    } finally {
      MeshDiagnostics.uninstall();
    }
  }
}
