package dev.meshaware.examples.demo.kafka;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * "Kafka in, HTTP out", with no meshaware code: a plain poll loop over the topic that, for each
 * record, calls the downstream over HTTP ({@code GET <downstream>?order=<key>}). It prints each
 * record's headers (to show what travelled on the record); it does not copy them anywhere. Run it
 * with {@code -javaagent:meshaware-agent.jar} and each call carries its record's trace headers.
 *
 * <p>System properties: {@code kafka.bootstrap}, {@code kafka.topic}, {@code service.downstream}.
 */
public final class BillingMain {
  private BillingMain() {}

  public static void main(String[] args) throws Exception {
    String topic = System.getProperty("kafka.topic", "orders");
    String downstream = System.getProperty("service.downstream");
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty("kafka.bootstrap"));
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "billing");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      consumer.position(partition); // connected before the first record
      System.out.println("billing consuming topic " + topic + ", calling " + downstream);
      while (true) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
          StringBuilder line = new StringBuilder("billing got ").append(record.key());
          line.append(" at ").append(record.topic()).append('-').append(record.partition());
          line.append('@').append(record.offset()).append(", record headers:");
          for (Header header : record.headers()) {
            line.append(' ').append(header.key()).append('=');
            line.append(
                header.value() == null
                    ? "null"
                    : new String(header.value(), StandardCharsets.UTF_8));
          }
          System.out.println(line);
          HttpResponse<Void> response =
              http.send(
                  HttpRequest.newBuilder(URI.create(downstream + "?order=" + record.key())).build(),
                  HttpResponse.BodyHandlers.discarding());
          System.out.println(
              "billing called "
                  + downstream
                  + " for "
                  + record.key()
                  + ": "
                  + response.statusCode());
        }
      }
    }
  }
}
