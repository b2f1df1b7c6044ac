package dev.meshaware.examples.demo.kafka;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * "HTTP in, Kafka out", with no meshaware code: {@code GET /order} sends one record to the topic
 * with a plain {@link KafkaProducer} while serving the request, and answers with the headers it
 * received and where the record went. Run it with {@code -javaagent:meshaware-agent.jar} and the
 * record carries the request's trace headers.
 *
 * <p>System properties: {@code service.port}, {@code kafka.bootstrap}, {@code kafka.topic}.
 */
public final class OrdersMain {
  static final List<String> SHOWN = List.of("x-request-id", "x-b3-traceid", "end-user");

  private OrdersMain() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.getInteger("service.port", 8080);
    String topic = System.getProperty("kafka.topic", "orders");
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty("kafka.bootstrap"));
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "orders");
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    KafkaProducer<String, String> producer = new KafkaProducer<>(config);
    producer.partitionsFor(topic); // connected before the first order
    AtomicInteger orders = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.createContext("/order", exchange -> order(exchange, producer, topic, orders));
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    System.out.println("orders listening on 127.0.0.1:" + port + ", producing to topic " + topic);
  }

  private static void order(
      HttpExchange exchange,
      KafkaProducer<String, String> producer,
      String topic,
      AtomicInteger orders)
      throws IOException {
    String order = "order-" + orders.incrementAndGet();
    StringBuilder json = new StringBuilder("{\"service\":\"orders\",\"order\":\"" + order + '"');
    for (String header : SHOWN) {
      String value = exchange.getRequestHeaders().getFirst(header);
      json.append(",\"").append(header).append("\":");
      json.append(value == null ? "null" : "\"" + value.replace("\"", "") + "\"");
    }
    int status = 200;
    try {
      RecordMetadata sent =
          producer.send(new ProducerRecord<>(topic, order, "1 x book")).get(10, TimeUnit.SECONDS);
      json.append(",\"record\":\"")
          .append(sent.topic())
          .append('-')
          .append(sent.partition())
          .append('@')
          .append(sent.offset())
          .append('"');
    } catch (Exception e) {
      status = 502;
      json.append(",\"error\":\"").append(e.getClass().getSimpleName()).append('"');
    }
    byte[] body = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("content-type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
