package dev.meshaware.spring;

import dev.meshaware.core.config.MeshawareKeys;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * See {@link ConditionalOnMeshawareEnabled}. While Spring AOT processes the application it matches:
 * {@code meshaware.enabled} is the switch an operator sets on a pod ({@code
 * MESHAWARE_ENABLED=false}), so it is read when the application starts, where every feature obeys
 * it ({@link MeshawareFeatures}).
 */
final class OnMeshawareEnabledCondition extends SpringBootCondition {
  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    ConditionMessage.Builder message = ConditionMessage.forCondition("meshaware enabled");
    if (CoreCompatibility.starterMustStayOff()) {
      return ConditionOutcome.noMatch(message.because("the meshaware core is another version's"));
    }
    if (Boolean.getBoolean(OnMeshawareFeatureCondition.AOT_PROCESSING)) {
      return ConditionOutcome.match(
          message.because("decided when the application starts (Spring AOT build)"));
    }
    SpringConfigSource source =
        new SpringConfigSource((ConfigurableEnvironment) context.getEnvironment());
    return source.valueOf(MeshawareKeys.ENABLED)
        ? ConditionOutcome.match(message.because(MeshawareKeys.ENABLED.key() + " is true"))
        : ConditionOutcome.noMatch(message.because(MeshawareKeys.ENABLED.key() + " is false"));
  }
}
