package dev.meshaware.spring.propagation;

import dev.meshaware.core.AgentStatus;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.spring.CoreCompatibility;
import dev.meshaware.spring.SpringConfigSource;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the starter is the one to forward headers: meshaware and propagation are on (read as
 * core reads them), and no meshaware agent in this JVM forwards them already. The agent covers the
 * servers, clients and executors underneath Spring; adding the starter's filters and interceptors
 * on top would do the same work twice.
 */
final class StarterForwardsHeadersCondition extends SpringBootCondition {
  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    ConditionMessage.Builder message = ConditionMessage.forCondition("meshaware header forwarding");
    if (CoreCompatibility.starterMustStayOff()) {
      return ConditionOutcome.noMatch(message.because("the meshaware core is another version's"));
    }
    SpringConfigSource source =
        new SpringConfigSource((ConfigurableEnvironment) context.getEnvironment());
    if (!source.valueOf(MeshawareKeys.ENABLED)) {
      return ConditionOutcome.noMatch(message.because(MeshawareKeys.ENABLED.key() + " is false"));
    }
    if (!source.valueOf(MeshawareKeys.PROPAGATION_ENABLED)) {
      return ConditionOutcome.noMatch(
          message.because(MeshawareKeys.PROPAGATION_ENABLED.key() + " is false"));
    }
    if (AgentStatus.handles(AgentStatus.Feature.HEADER_FORWARDING)) {
      return ConditionOutcome.noMatch(message.because("the meshaware agent forwards them"));
    }
    return ConditionOutcome.match(message.because("the starter forwards them"));
  }
}
