package dev.meshaware.spring.propagation;

import dev.meshaware.core.log.MeshLog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

/**
 * What the starter's {@code DefaultKafkaProducerFactoryCustomizer} does to the producer factory
 * Spring Boot creates: appends {@link RecordHeadersProducerInterceptor} to {@code
 * interceptor.classes}, after the application's own interceptors, which keep running first and in
 * their order.
 */
final class KafkaProducerFactoryCustomizing {
  private static final Class<?> INTERCEPTOR = RecordHeadersProducerInterceptor.class;

  private KafkaProducerFactoryCustomizing() {}

  static void customize(Object factory) {
    DefaultKafkaProducerFactory<?, ?> producers = (DefaultKafkaProducerFactory<?, ?>) factory;
    Object configured =
        producers.getConfigurationProperties().get(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);
    List<Object> classes = new ArrayList<>();
    if (configured instanceof String) {
      for (String name : ((String) configured).split(",")) {
        if (!name.isBlank()) {
          classes.add(name.trim());
        }
      }
    } else if (configured instanceof Collection) {
      classes.addAll((Collection<?>) configured);
    } else if (configured instanceof Class) {
      classes.add(configured);
    } else if (configured != null) {
      MeshLog.warn(
          "records produced through Spring Boot's producer factory carry no forwarded headers: "
              + ProducerConfig.INTERCEPTOR_CLASSES_CONFIG
              + " is a "
              + configured.getClass().getName()
              + "; give it as a list of class names, e.g. spring.kafka.producer.properties"
              + "[interceptor.classes]=com.example.YourInterceptor");
      return;
    }
    for (Object entry : classes) {
      if (entry == INTERCEPTOR || INTERCEPTOR.getName().equals(entry)) {
        return;
      }
    }
    classes.add(INTERCEPTOR);
    producers.updateConfigs(Map.of(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, classes));
  }
}
