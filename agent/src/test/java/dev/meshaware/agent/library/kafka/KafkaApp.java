package dev.meshaware.agent.library.kafka;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A service for the child JVM that is "HTTP in, Kafka out" and "Kafka in, HTTP out", with no
 * meshaware code in it. System properties: {@code app.bootstrap} (the broker), {@code
 * app.downstream} (base URL of the recording downstream), {@code app.consumers} (topics to consume,
 * comma-separated, {@code topic:threads} each), {@code app.streams} (true: a Streams topology from
 * {@code s-in} to {@code s-out}).
 *
 * <p>{@code GET /produce?topic=T&n=N&value=V[&appset=ID][&callback=true]} sends N records ({@code
 * V-0} .. {@code V-(N-1)}, keys 0..N-1) while serving the request and waits for them; {@code
 * appset} puts the application's own {@code x-request-id} on each record; {@code callback} makes
 * each send's callback call {@code /rec/cb-<value>}. Consumers call {@code
 * <downstream>/rec/<value>} for each record, with {@code ?traceparents=<how many the record had>};
 * records of {@code chain-in} are sent on to {@code chain-out} instead; a value starting with
 * {@code break} ends the loop early. After each poll that returned records, the polling thread
 * calls {@code /rec/after-<thread>-<poll>}, which must carry nothing. Prints {@code APP-PORT
 * <port>}; runs until its standard input closes.
 */
public final class KafkaApp {
  private static final String DOWNSTREAM = System.getProperty("app.downstream");
  private static final String BOOTSTRAP = System.getProperty("app.bootstrap");
  private static final ExecutorService WORKER = Executors.newSingleThreadExecutor();
  private static volatile KafkaProducer<String, String> producer;

  private KafkaApp() {}

  public static void main(String[] args) throws Exception {
    for (String spec : System.getProperty("app.consumers", "").split(",")) {
      if (!spec.isBlank()) {
        String[] parts = spec.split(":");
        int threads = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
        for (int i = 0; i < threads; i++) {
          Thread consumer = new Thread(() -> consume(parts[0]), "consumer-" + parts[0] + "-" + i);
          consumer.setDaemon(true);
          consumer.start();
        }
      }
    }
    if (Boolean.getBoolean("app.streams")) {
      startStreams();
    }
    if (Boolean.getBoolean("app.spring")) {
      SpringKafkaListeners.start(BOOTSTRAP, KafkaApp::call);
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    server.createContext(
        "/produce",
        exchange -> {
          String body;
          int status = 200;
          try {
            body = produce(query(exchange.getRequestURI()));
          } catch (Exception e) {
            body = e.toString();
            status = 500;
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    ExecutorService pool = Executors.newFixedThreadPool(8);
    server.setExecutor(pool);
    server.start();
    System.out.println("APP-PORT " + server.getAddress().getPort());
    while (System.in.read() >= 0) {
      // until the test closes our standard input
    }
    System.exit(0);
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> params = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        params.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  private static KafkaProducer<String, String> producer() {
    // Made by the first request that sends: Kafka's I/O thread is started inside a request.
    KafkaProducer<String, String> made = producer;
    if (made == null) {
      synchronized (KafkaApp.class) {
        made = producer;
        if (made == null) {
          Properties props = new Properties();
          props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
          props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
          props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, TypeIdSerializer.class.getName());
          props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
          made = new KafkaProducer<>(props);
          producer = made;
        }
      }
    }
    return made;
  }

  private static String produce(Map<String, String> params) throws Exception {
    String topic = params.get("topic");
    int n = Integer.parseInt(params.getOrDefault("n", "1"));
    String value = params.get("value");
    String appSet = params.get("appset");
    boolean callback = Boolean.parseBoolean(params.get("callback"));
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ProducerRecord<String, String> record =
          new ProducerRecord<>(topic, Integer.toString(i), n == 1 ? value : value + "-" + i);
      if (appSet != null) {
        record.headers().add("X-Request-Id", appSet.getBytes(StandardCharsets.US_ASCII));
      }
      String tag = record.value();
      sent.add(
          callback
              ? producer().send(record, (meta, failure) -> call("cb-" + tag, null))
              : producer().send(record));
      // As without meshaware: the serializer's header is on the application's record, which Kafka
      // made read-only, and nothing else was added to it.
      if (Boolean.getBoolean("app.otherAgent")) {
        // the OpenTelemetry agent writes its own headers on the application's record
        continue;
      }
      if (record.headers().lastHeader(TypeIdSerializer.HEADER) == null
          || record.headers().toArray().length != (appSet != null ? 2 : 1)) {
        throw new IllegalStateException("the application's record: " + record.headers());
      }
      try {
        record.headers().add("late", new byte[] {1});
        throw new IllegalStateException("the application's record was not made read-only");
      } catch (IllegalStateException expected) {
        if (expected.getMessage().startsWith("the application")) {
          throw expected;
        }
      }
    }
    for (Future<RecordMetadata> each : sent) {
      each.get();
    }
    return "sent " + n;
  }

  static void send(String topic, String key, String value) {
    producer().send(new ProducerRecord<>(topic, key, value));
  }

  private static void consume(String topic) {
    Properties props = consumerProps("app-" + topic);
    AtomicInteger polls = new AtomicInteger();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      String leftEarly = null;
      while (true) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
        if (leftEarly != null) {
          // the loop before was left at a record: polling again ends its processing
          call("after-" + leftEarly, null);
          leftEarly = null;
        }
        if (records.isEmpty()) {
          continue;
        }
        if (topic.equals("par")) {
          // a parallel stream: records are read ahead of their processing
          java.util.stream.StreamSupport.stream(records.spliterator(), true)
              .forEach(record -> call(record.value(), query(record)));
          continue;
        }
        if (topic.equals("chunk")) {
          // records kept in chunks of 5 and processed after the fifth was handed out
          List<ConsumerRecord<String, String>> chunk = new ArrayList<>();
          for (ConsumerRecord<String, String> record : records) {
            chunk.add(record);
            if (chunk.size() == 5) {
              for (ConsumerRecord<String, String> kept : chunk) {
                call(kept.value(), query(kept));
              }
              chunk.clear();
            }
          }
          for (ConsumerRecord<String, String> kept : chunk) {
            call(kept.value(), query(kept));
          }
          continue;
        }
        if (topic.equals("pool")) {
          // a task that leaves its loop early, then another task on the same worker
          int poll = polls.incrementAndGet();
          WORKER.submit(
              () -> {
                for (ConsumerRecord<String, String> record : records) {
                  call(record.value(), query(record));
                  break;
                }
              });
          WORKER.submit(() -> call("next-task-" + poll, null));
          continue;
        }
        boolean left = false;
        for (ConsumerRecord<String, String> record : records) {
          if (topic.equals("chain-in")) {
            send("chain-out", record.key(), record.value());
          } else {
            call(record.value(), query(record));
          }
          if (record.value().startsWith("break")) {
            left = true;
            leftEarly = record.value();
            break;
          }
        }
        if (!left) {
          call("after-" + Thread.currentThread().getName() + "-" + polls.incrementAndGet(), null);
        }
      }
    } catch (Exception e) {
      System.out.println("CONSUMER-FAILED " + topic + " " + e);
    }
  }

  /** {@code traceparents=<how many>&tp=<the last>}: what the record itself carried. */
  static String query(ConsumerRecord<?, ?> record) {
    Header last = record.headers().lastHeader("traceparent");
    return "traceparents="
        + count(record, "traceparent")
        + (last == null
            ? ""
            : "&tp="
                + java.net.URLEncoder.encode(
                    new String(last.value(), StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
  }

  static Properties consumerProps(String group) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
    return props;
  }

  static int count(ConsumerRecord<?, ?> record, String name) {
    int count = 0;
    for (Header header : record.headers().headers(name)) {
      count++;
    }
    return count;
  }

  private static void startStreams() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "app-streams");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
    props.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("app.stateDir"));
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    props.put(
        StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG,
        org.apache.kafka.common.serialization.Serdes.StringSerde.class.getName());
    props.put(
        StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG,
        org.apache.kafka.common.serialization.Serdes.StringSerde.class.getName());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    StreamsBuilder builder = new StreamsBuilder();
    builder.<String, String>stream("s-in").peek((k, v) -> call("streams-" + v, null)).to("s-out");
    new KafkaStreams(builder.build(), props).start();
  }

  /** A value serializer that adds a header, as Spring's JSON serializer adds its type id. */
  public static final class TypeIdSerializer
      implements org.apache.kafka.common.serialization.Serializer<String> {
    static final String HEADER = "__TypeId__";

    @Override
    public byte[] serialize(String topic, String data) {
      return data == null ? null : data.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] serialize(
        String topic, org.apache.kafka.common.header.Headers headers, String data) {
      headers.add(HEADER, "java.lang.String".getBytes(StandardCharsets.US_ASCII));
      return serialize(topic, data);
    }
  }

  /** Calls the downstream's {@code /rec/<tag>}; failures are printed, never thrown. */
  static void call(String tag, String query) {
    try {
      HttpURLConnection connection =
          (HttpURLConnection)
              URI.create(DOWNSTREAM + "/rec/" + tag + (query != null ? "?" + query : ""))
                  .toURL()
                  .openConnection();
      connection.setConnectTimeout(5000);
      connection.setReadTimeout(5000);
      int status = connection.getResponseCode();
      connection.getInputStream().readAllBytes();
      if (status != 200) {
        System.out.println("CALL-FAILED " + tag + " " + status);
      }
    } catch (IOException e) {
      System.out.println("CALL-FAILED " + tag + " " + e);
    }
  }
}
