package dev.meshaware.spring;

import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.spring.startup.StartupRecord;
import java.util.Map;
import java.util.WeakHashMap;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * See {@link ConditionalOnMeshawareFeature}.
 *
 * <p>Under Spring AOT the conditions are evaluated once, when the application is built ({@code
 * spring-boot:process-aot}), and their outcome is fixed in the generated code. Whether the agent is
 * attached and whether a sidecar can be here are facts of the pod the application runs in, not of
 * the build: while AOT processes the application this condition matches, and the feature's bean
 * decides when the application starts, through the same {@link MeshawareFeatures#decide}.
 */
final class OnMeshawareFeatureCondition extends SpringBootCondition {
  /** Set by Spring Boot's AOT processors while they evaluate the application's configuration. */
  static final String AOT_PROCESSING = "spring.aot.processing";

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    Map<String, Object> attributes =
        metadata.getAnnotationAttributes(ConditionalOnMeshawareFeature.class.getName());
    MeshawareFeatures.Feature feature = (MeshawareFeatures.Feature) attributes.get("value");
    ConditionMessage.Builder message =
        ConditionMessage.forCondition("meshaware " + feature.description());
    if (CoreCompatibility.starterMustStayOff()) {
      return ConditionOutcome.noMatch(message.because("the meshaware core is another version's"));
    }
    if (Boolean.getBoolean(AOT_PROCESSING)) {
      return ConditionOutcome.match(
          message.because("decided when the application starts (Spring AOT build)"));
    }
    ConfigurableListableBeanFactory beans = context.getBeanFactory();
    MeshawareFeatures.Decision decision =
        MeshawareFeatures.decide(
            feature,
            settings(beans, (ConfigurableEnvironment) context.getEnvironment()),
            beans != null && beans.containsSingleton(StartupRecord.BEAN_NAME)
                ? (StartupRecord) beans.getSingleton(StartupRecord.BEAN_NAME)
                : null);
    return decision.on()
        ? ConditionOutcome.match(message.because(decision.reason()))
        : ConditionOutcome.noMatch(message.because(decision.reason()));
  }

  /**
   * The settings the startup gate read and handed to the context; for a context not started by
   * {@code SpringApplication}, read once per environment (so a bad value is reported once) and
   * shared with {@link MeshawareAutoConfiguration}'s {@code meshawareSettings}.
   */
  static MeshawareSettings settings(
      ConfigurableListableBeanFactory beans, ConfigurableEnvironment environment) {
    if (beans != null && beans.containsSingleton(SETTINGS_BEAN)) {
      return (MeshawareSettings) beans.getSingleton(SETTINGS_BEAN);
    }
    synchronized (READ) {
      return READ.computeIfAbsent(
          environment, read -> MeshawareSettings.load(new SpringConfigSource(read)));
    }
  }

  static final String SETTINGS_BEAN = "meshawareSettings";

  private static final Map<ConfigurableEnvironment, MeshawareSettings> READ = new WeakHashMap<>();
}
