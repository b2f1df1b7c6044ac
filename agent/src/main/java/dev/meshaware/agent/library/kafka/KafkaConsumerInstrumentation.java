package dev.meshaware.agent.library.kafka;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.ProcessedRecords;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Inbound: a consumer that polls again, or closes, has finished the records it was processing on
 * that thread, even when its loop left the iterator early: nothing of them stays current.
 */
public final class KafkaConsumerInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "kafka-consumer";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.apache.kafka.clients.consumer.KafkaConsumer");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method("poll", EndAdvice.class, "java.time.Duration"),
        AdviceSpec.method("poll", EndAdvice.class, "long").asAlternative(),
        AdviceSpec.method("close", EndAdvice.class));
  }

  /** Ends the processing of this thread's record. */
  public static final class EndAdvice {
    private EndAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter() {
      ProcessedRecords.end();
    }
  }
}
