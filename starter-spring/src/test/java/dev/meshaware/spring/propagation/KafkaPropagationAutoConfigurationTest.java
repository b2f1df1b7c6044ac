package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.AgentStatus;
import dev.meshaware.spring.MeshawareAutoConfiguration;
import dev.meshaware.spring.testing.BootTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

/**
 * Where the starter's Kafka hooks go and when they stand down, on Spring Boot's own Kafka
 * auto-configuration (no broker: nothing here connects).
 */
class KafkaPropagationAutoConfigurationTest {
  private static final String CUSTOMIZER = "meshawareKafkaProducerFactoryCustomizer";

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  MeshawareAutoConfiguration.class,
                  PropagationAutoConfiguration.class,
                  KafkaPropagationAutoConfiguration.class,
                  BootTypes.type(
                      "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
                      "org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration")))
          .withPropertyValues(
              "meshaware.startup.mode=never",
              "spring.kafka.producer.properties[interceptor.classes]=com.example.AuditInterceptor");

  @AfterEach
  void forgetAgent() {
    AgentStatus.forget();
  }

  @Test
  void bootsProducerFactoryKeepsTheApplicationsInterceptorsAndGetsOursLast() {
    runner.run(
        context -> {
          assertThat(context).hasBean(CUSTOMIZER);
          Object interceptors =
              context
                  .getBean(DefaultKafkaProducerFactory.class)
                  .getConfigurationProperties()
                  .get(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);
          assertThat(interceptors)
              .isEqualTo(
                  List.of("com.example.AuditInterceptor", RecordHeadersProducerInterceptor.class));
        });
  }

  @Test
  void bootsListenerFactoryGetsTheRecordInterceptor() {
    runner.run(
        context ->
            assertThat(
                    context.getBean(
                        "kafkaListenerContainerFactory",
                        ConcurrentKafkaListenerContainerFactory.class))
                .extracting("recordInterceptor")
                .isInstanceOf(RecordHeadersRecordInterceptor.class));
  }

  @Test
  void customizingTwiceAddsTheInterceptorOnce() {
    DefaultKafkaProducerFactory<Object, Object> factory =
        new DefaultKafkaProducerFactory<>(
            Map.of(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, "com.example.A, com.example.B"));
    KafkaProducerFactoryCustomizing.customize(factory);
    KafkaProducerFactoryCustomizing.customize(factory);
    assertThat(factory.getConfigurationProperties().get(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG))
        .isEqualTo(
            List.of("com.example.A", "com.example.B", RecordHeadersProducerInterceptor.class));
  }

  /** The agent does Kafka itself: nothing of the starter's is added, and the report says why. */
  @Test
  void standsDownWhenTheAgentForwardsHeaders() {
    AgentStatus.started();
    AgentStatus.record(AgentStatus.Feature.HEADER_FORWARDING);
    runner.run(
        context -> {
          assertThat(context).doesNotHaveBean(CUSTOMIZER);
          assertThat(context).doesNotHaveBean(ListenerContainerFactoryPostProcessor.class);
          assertThat(
                  context
                      .getBean(DefaultKafkaProducerFactory.class)
                      .getConfigurationProperties()
                      .get(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG))
              .isEqualTo("com.example.AuditInterceptor");
          ConditionEvaluationReport report =
              ConditionEvaluationReport.get(context.getBeanFactory());
          List<String> outcomes = new ArrayList<>();
          report
              .getConditionAndOutcomesBySource()
              .get(KafkaPropagationAutoConfiguration.class.getName())
              .forEach(outcome -> outcomes.add(outcome.getOutcome().getMessage()));
          assertThat(outcomes)
              .as("the conditions report")
              .anySatisfy(
                  message ->
                      assertThat(message)
                          .contains(
                              "the meshaware agent attached to this JVM does header forwarding"));
        });
  }

  @Test
  void addsNothingWithoutSpringKafka() {
    runner
        .withClassLoader(new FilteredClassLoader("org.springframework.kafka"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(CUSTOMIZER);
              assertThat(context).doesNotHaveBean(ListenerContainerFactoryPostProcessor.class);
            });
  }

  @Test
  void addsNothingWhenPropagationIsOff() {
    runner
        .withPropertyValues("meshaware.propagation.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(CUSTOMIZER);
              assertThat(context).doesNotHaveBean(ListenerContainerFactoryPostProcessor.class);
            });
  }
}
