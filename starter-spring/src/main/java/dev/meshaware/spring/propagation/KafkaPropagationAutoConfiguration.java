package dev.meshaware.spring.propagation;

import dev.meshaware.spring.ConditionalOnMeshawareFeature;
import dev.meshaware.spring.MeshawareFeatures;
import dev.meshaware.spring.MovedBootType;
import java.util.function.Function;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Trace headers through Kafka with Spring Kafka's own hooks. Producing: Spring Boot's producer
 * factory gets {@link RecordHeadersProducerInterceptor} through a {@code
 * DefaultKafkaProducerFactoryCustomizer} (Boot applies every one). Consuming: each
 * {@code @KafkaListener} container factory gets {@link RecordHeadersRecordInterceptor} composed
 * with its own interceptor ({@link ListenerContainerFactoryPostProcessor}).
 *
 * <p>Same condition as the rest of header forwarding: a meshaware agent in this JVM that forwards
 * headers does Kafka too (its {@code KafkaProducer} and {@code ConsumerRecords} instrumentation),
 * so none of this is added and no header is added twice.
 */
@AutoConfiguration(after = PropagationAutoConfiguration.class)
@ConditionalOnMeshawareFeature(MeshawareFeatures.Feature.HEADER_FORWARDING)
@ConditionalOnClass(name = "org.springframework.kafka.core.DefaultKafkaProducerFactory")
public final class KafkaPropagationAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @Import(ProducerFactoryCustomizerRegistrar.class)
  static class ProducerConfiguration {}

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.kafka.listener.CompositeRecordInterceptor")
  static class ListenerConfiguration {
    /** Static: a post-processor must exist before the beans it processes. */
    @Bean
    static ListenerContainerFactoryPostProcessor meshawareListenerContainerFactoryPostProcessor() {
      return new ListenerContainerFactoryPostProcessor();
    }
  }

  /**
   * Registers the {@code DefaultKafkaProducerFactoryCustomizer}, an interface Spring Boot 4.0 moved
   * (to {@code org.springframework.boot.kafka.autoconfigure}), by name ({@link MovedBootType}). No
   * Boot Kafka support, no customizer: the application then makes its producer factories itself.
   */
  /** What the registered customizer does: adds the starter's producer interceptor. */
  static final class ProducerFactoryCustomizerBody implements MovedBootType.Body {
    @Override
    public Function<Object[], Object> body(BeanFactory beans, String key) {
      return arguments -> {
        KafkaProducerFactoryCustomizing.customize(arguments[0]);
        return null;
      };
    }
  }

  static final class ProducerFactoryCustomizerRegistrar
      implements ImportBeanDefinitionRegistrar, BeanClassLoaderAware {
    private static final String BEAN = "meshawareKafkaProducerFactoryCustomizer";
    private ClassLoader loader;

    @Override
    public void setBeanClassLoader(ClassLoader loader) {
      this.loader = loader;
    }

    @Override
    public void registerBeanDefinitions(
        AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
      Class<?> type =
          MovedBootType.find(
              loader,
              "org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer",
              "org.springframework.boot.autoconfigure.kafka.DefaultKafkaProducerFactoryCustomizer");
      if (type != null && !registry.containsBeanDefinition(BEAN)) {
        MovedBootType.register(
            registry, BEAN, type, "customize", ProducerFactoryCustomizerBody.class, BEAN);
      }
    }
  }
}
