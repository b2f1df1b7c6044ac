package dev.meshaware.spring;

import dev.meshaware.core.config.MeshawareKeys;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** See {@link ConditionalOnMeshawareEnabled}. */
final class OnMeshawareEnabledCondition extends SpringBootCondition {
  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    ConditionMessage.Builder message = ConditionMessage.forCondition("meshaware enabled");
    if (CoreCompatibility.starterMustStayOff()) {
      return ConditionOutcome.noMatch(message.because("the meshaware core is another version's"));
    }
    SpringConfigSource source =
        new SpringConfigSource((ConfigurableEnvironment) context.getEnvironment());
    return source.valueOf(MeshawareKeys.ENABLED)
        ? ConditionOutcome.match(message.because(MeshawareKeys.ENABLED.key() + " is true"))
        : ConditionOutcome.noMatch(message.because(MeshawareKeys.ENABLED.key() + " is false"));
  }
}
