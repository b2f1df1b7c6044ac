package dev.meshaware.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.instrument.ActiveInstrumentations;
import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.library.LibrarySelection;
import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report names a library's kinds from the instrumentations that applied, and says when one kind
 * cannot apply because the library's version has none of the classes it knows (the class path of
 * this test is the application's: its classes stand in for the library's).
 */
class InstrumentationReportSectionTest {
  /** A class on the class path: the library is there. */
  private static final String PRESENT = InstrumentationReportSectionTest.class.getName();

  private static final String ABSENT = "dev.meshaware.agent.NoSuchServerConnection";

  @Test
  void aLibraryWhoseServerClassMovedIsNotReportedAsCoveringInbound() {
    Map<String, String> facts = report("t-moved", ABSENT, PRESENT);

    assertThat(facts.get("active")).contains("t-moved (thread hops)").doesNotContain("inbound");
    assertThat(facts.get("left alone"))
        .contains("t-moved (inbound: no known class in this version)");
  }

  @Test
  void aServerClassThatExistsButIsNotLoadedYetIsNotCalledMissing() {
    Map<String, String> facts = report("t-later", PRESENT, PRESENT);

    assertThat(facts.get("active")).contains("t-later (thread hops)");
    assertThat(facts.getOrDefault("left alone", "")).doesNotContain("t-later");
  }

  @Test
  void withoutTheLibrarysOwnClassNothingIsClaimedMissing() {
    Map<String, String> facts = report("t-absent", ABSENT, "dev.meshaware.agent.NoSuchLibraryApi");

    assertThat(facts.getOrDefault("left alone", "")).doesNotContain("t-absent");
  }

  @Test
  void anInstrumentationLeftAloneIsSaidEvenWhenItsKindAppliedThroughAnother() {
    // Netty 4.1 before 4.1.82: the pipeline applies (inbound), the encoder has no write method.
    TypeInstrumentation pipeline = instrumentation("t-part-pipeline", PRESENT, null);
    TypeInstrumentation encoder = instrumentation("t-part-encoder", PRESENT, null);
    ActiveInstrumentations.markActive(pipeline.name());
    ActiveInstrumentations.skipped(encoder.name(), "no method write(ChannelHandlerContext, ...)");
    Library library =
        new Library() {
          @Override
          public String name() {
            return "t-part";
          }

          @Override
          public String covers() {
            return "a test library";
          }

          @Override
          public List<TypeInstrumentation> inbound() {
            return List.of(pipeline, encoder);
          }
        };
    LibrarySelection selection =
        LibrarySelection.from(
            MeshawareSettings.load(ConfigSource.of(Map.of(), Map.of())), List.of(library));
    Map<String, List<TypeInstrumentation>> byKind = new LinkedHashMap<>();
    byKind.put(InstrumentationReportSection.INBOUND, selection.inbound());
    Map<String, String> facts =
        new InstrumentationReportSection(selection, byKind, Map.of()).facts();

    assertThat(facts.get("active")).contains("t-part (inbound)");
    assertThat(facts.get("left alone"))
        .contains("t-part (t-part-encoder: no method write(ChannelHandlerContext, ...))");
  }

  /**
   * A library {@code name} whose thread hops applied and whose inbound targets {@code target}, with
   * {@code marker} as the class every version of it has.
   */
  private static Map<String, String> report(String name, String target, String marker) {
    TypeInstrumentation server = instrumentation(name + "-server", target, marker);
    TypeInstrumentation hop = instrumentation(name + "-hop", PRESENT, null);
    ActiveInstrumentations.markActive(hop.name());
    Library library =
        new Library() {
          @Override
          public String name() {
            return name;
          }

          @Override
          public String covers() {
            return "a test library";
          }

          @Override
          public List<TypeInstrumentation> inbound() {
            return List.of(server);
          }

          @Override
          public List<TypeInstrumentation> threadHops() {
            return List.of(hop);
          }
        };
    LibrarySelection selection =
        LibrarySelection.from(
            MeshawareSettings.load(ConfigSource.of(Map.of(), Map.of())), List.of(library));
    Map<String, List<TypeInstrumentation>> byKind = new LinkedHashMap<>();
    byKind.put(InstrumentationReportSection.INBOUND, selection.inbound());
    byKind.put(InstrumentationReportSection.OUTBOUND, selection.outbound());
    byKind.put(InstrumentationReportSection.THREAD_HOPS, selection.threadHops());
    return new InstrumentationReportSection(selection, byKind, Map.of()).facts();
  }

  private static TypeInstrumentation instrumentation(String name, String target, String marker) {
    return new TypeInstrumentation() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<String> typeNames() {
        return List.of(target);
      }

      @Override
      public List<AdviceSpec> advice() {
        return List.of();
      }

      @Override
      public String presentWith() {
        return marker;
      }
    };
  }
}
