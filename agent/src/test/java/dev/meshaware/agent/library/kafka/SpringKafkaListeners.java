package dev.meshaware.agent.library.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;

/**
 * Spring Kafka listener containers, as {@code @KafkaListener} builds them, without a Spring
 * context: a record listener on {@code sk-rec} and a batch listener on {@code sk-batch}; each calls
 * the downstream's {@code /rec/<value>} for every record.
 */
final class SpringKafkaListeners {
  private SpringKafkaListeners() {}

  static void start(String bootstrap, ObjIntConsumer<String> call) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "app-spring");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    DefaultKafkaConsumerFactory<String, String> factory = new DefaultKafkaConsumerFactory<>(config);

    ContainerProperties records = new ContainerProperties("sk-rec");
    records.setMessageListener(
        (MessageListener<String, String>) record -> call.accept(record.value(), -1));
    new KafkaMessageListenerContainer<>(factory, records).start();

    ContainerProperties batches = new ContainerProperties("sk-batch");
    batches.setMessageListener(
        (BatchMessageListener<String, String>)
            (List<ConsumerRecord<String, String>> batch) -> {
              for (ConsumerRecord<String, String> record : batch) {
                call.accept(record.value(), -1);
              }
            });
    new KafkaMessageListenerContainer<>(factory, batches).start();
  }
}
