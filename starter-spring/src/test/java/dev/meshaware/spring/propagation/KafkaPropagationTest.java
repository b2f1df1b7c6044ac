package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.RunningApp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * HTTP request -> {@code KafkaTemplate} -> {@code @KafkaListener} -> {@code RestClient} call, on a
 * real Spring Boot servlet application, Kafka's own KRaft broker in-process on loopback (one for
 * the class) and a WireMock downstream: the starter alone (no agent) carries a request's trace
 * headers into the records it produces and a record's headers into the calls its listener makes.
 */
class KafkaPropagationTest {
  private static final String ORDERS = "orders";
  private static final String AUDIT = "audit-log";
  private static final String BATCH = "batch";
  private static final String BATCH_RECORDS = "batch-records";

  private static EmbeddedKafkaKraftBroker broker;
  private static Downstream downstream;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    broker = new EmbeddedKafkaKraftBroker(1, 1, ORDERS, AUDIT, BATCH, BATCH_RECORDS);
    broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
    broker.brokerProperty("offsets.topic.num.partitions", "1");
    broker.afterPropertiesSet();
    downstream = new Downstream();
    app =
        RunningApp.start(
            WebApplicationType.SERVLET,
            KafkaApp.class,
            false,
            "app.downstream=" + downstream.url(),
            "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
            "spring.kafka.consumer.group-id=meshaware-kafka-test",
            "spring.kafka.consumer.auto-offset-reset=earliest",
            "spring.kafka.consumer.properties[fetch.max.wait.ms]=50",
            "meshaware.propagation.extra-headers=" + Inbound.EXTRA,
            "meshaware.propagation.exclude-topics=" + AUDIT);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (downstream != null) {
      downstream.close();
    }
    if (broker != null) {
      broker.destroy();
    }
  }

  @Test
  void listenerCallCarriesTheProducingRequestsHeadersVerbatim() throws Exception {
    assertThat(app.get("/produce?topic=orders&value=verbatim", Inbound.all()).body())
        .as("headers left on the application's own record after the send")
        .isEqualTo("0");
    LoggedRequest call = downstream.received("/from-record/verbatim");
    for (Map.Entry<String, String> header : Inbound.forwarded().entrySet()) {
      assertThat(Downstream.values(call, header.getKey()))
          .as(header.getKey())
          .containsExactly(header.getValue());
    }
    for (String name : Inbound.notForwarded().keySet()) {
      assertThat(Downstream.values(call, name)).as(name).isEmpty();
      assertThat(seen().recordHeaders.get("verbatim")).doesNotContain(name);
    }
  }

  @Test
  void headerTheApplicationSetOnTheRecordWinsAndItsRecordStaysItsOwn() throws Exception {
    assertThat(app.get("/produce?topic=orders&value=own&own=true", Inbound.all()).body())
        .as("the application's record still holds exactly its own header")
        .isEqualTo("1");
    LoggedRequest call = downstream.received("/from-record/own");
    assertThat(seen().recordHeaders.get("own"))
        .as("one request id on the record, in the application's spelling")
        .containsOnlyOnce("X-Request-Id")
        .doesNotContain("x-request-id")
        .contains("traceparent", Inbound.EXTRA);
    assertThat(Downstream.values(call, "x-request-id")).containsExactly("app-set");
    assertThat(Downstream.values(call, "traceparent"))
        .containsExactly(Inbound.forwarded().get("traceparent"));
  }

  @Test
  void recordToAnExcludedTopicGetsNoHeaders() throws Exception {
    app.get("/produce?topic=audit-log&value=audited", Inbound.all());
    app.get("/produce?topic=orders&value=beside-audit", Inbound.all());
    LoggedRequest call = downstream.received("/from-record/audited");
    assertThat(seen().recordHeaders.get("audited")).isEmpty();
    for (String name : Inbound.forwardedNames()) {
      assertThat(Downstream.values(call, name)).as(name).isEmpty();
    }
    assertThat(Downstream.values(downstream.received("/from-record/beside-audit"), "traceparent"))
        .as("the same request's record to a topic not excluded")
        .containsExactly(Inbound.forwarded().get("traceparent"));
  }

  /**
   * Records of two requests and one without headers, interleaved on the one partition the one
   * container thread reads: each call carries its own record's headers or none, and after each
   * record nothing is current on that thread (the application's interceptor, which runs after the
   * starter's, looks).
   */
  @Test
  void containerThreadCarriesNothingBetweenRecords() throws Exception {
    Map<String, String> first = request("first");
    Map<String, String> second = request("second");
    app.get("/produce?topic=orders&value=first-1", first);
    app.get("/produce?topic=orders&value=second-1", second);
    template().send(ORDERS, "bare").get();
    app.get("/produce?topic=orders&value=first-2", first);
    app.get("/produce?topic=orders&value=second-2", second);
    template().send(ORDERS, "bare-last").get();

    for (String value : List.of("first-1", "first-2")) {
      assertCarries(downstream.received("/from-record/" + value), first);
    }
    for (String value : List.of("second-1", "second-2")) {
      assertCarries(downstream.received("/from-record/" + value), second);
    }
    for (String value : List.of("bare", "bare-last")) {
      LoggedRequest call = downstream.received("/from-record/" + value);
      for (String name : Inbound.forwardedNames()) {
        assertThat(Downstream.values(call, name)).as(value + " " + name).isEmpty();
      }
    }
    assertThat(seen().currentInAppInterceptor)
        .as("the application's RecordInterceptor ran, inside each record's scope")
        .containsEntry("first-1", "first")
        .containsEntry("second-2", "second")
        .containsEntry("bare", "none");
    assertThat(seen().currentAfterRecord).isNotEmpty().containsOnly("none");
  }

  /** Documented: a batch is handled as a whole, so nothing is current while its listener runs. */
  @Test
  void batchListenersRunWithNothingCurrent() throws Exception {
    app.get("/produce?topic=batch&value=in-list", Inbound.all());
    app.get("/produce?topic=batch-records&value=in-records", Inbound.all());
    for (String path : List.of("/from-batch/in-list", "/from-batch/in-records")) {
      LoggedRequest call = downstream.received(path);
      for (String name : Inbound.forwardedNames()) {
        assertThat(Downstream.values(call, name)).as(path + " " + name).isEmpty();
      }
    }
    assertThat(seen().recordHeaders.get("in-list"))
        .as("the record itself carries them")
        .contains("traceparent");
  }

  private static void assertCarries(LoggedRequest call, Map<String, String> request) {
    for (Map.Entry<String, String> header : request.entrySet()) {
      assertThat(Downstream.values(call, header.getKey()))
          .as(call.getUrl() + " " + header.getKey())
          .containsExactly(header.getValue());
    }
  }

  /** A request's forwarded headers, its own values made from {@code id}. */
  private static Map<String, String> request(String id) {
    String trace = String.format("%032x", id.hashCode() & 0xffffffffL);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-request-id", id);
    headers.put("x-b3-traceid", trace);
    headers.put("x-b3-spanid", "e457b5a2e4d86bd1");
    headers.put("traceparent", "00-" + trace + "-e457b5a2e4d86bd1-01");
    headers.put(Inbound.EXTRA, id + "-user");
    return headers;
  }

  private static Seen seen() {
    return app.context().getBean(Seen.class);
  }

  @SuppressWarnings("unchecked")
  private static KafkaTemplate<String, String> template() {
    return app.context().getBean(KafkaTemplate.class);
  }

  /** What the application saw, by record value. */
  static final class Seen {
    final Map<String, List<String>> recordHeaders = new ConcurrentHashMap<>();
    final Map<String, String> currentInAppInterceptor = new ConcurrentHashMap<>();
    final List<String> currentAfterRecord = Collections.synchronizedList(new ArrayList<>());

    static String requestId() {
      CapturedHeaders headers = CurrentHeaders.get();
      String id = headers == null ? null : headers.get("x-request-id");
      return id == null ? "none" : id;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({Produce.class, Listeners.class})
  static class KafkaApp {
    @Bean
    Seen seen() {
      return new Seen();
    }

    /** The application's own interceptor: Boot picks it as the only one; it must keep running. */
    @Bean
    RecordInterceptor<Object, Object> appRecordInterceptor(Seen seen) {
      return new RecordInterceptor<>() {
        @Override
        public ConsumerRecord<Object, Object> intercept(
            ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
          seen.currentInAppInterceptor.put(String.valueOf(record.value()), Seen.requestId());
          return record;
        }

        @Override
        public void afterRecord(
            ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
          seen.currentAfterRecord.add(Seen.requestId());
        }
      };
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<Object, Object> batchFactory(
        ConsumerFactory<Object, Object> consumers) {
      ConcurrentKafkaListenerContainerFactory<Object, Object> factory =
          new ConcurrentKafkaListenerContainerFactory<>();
      factory.setConsumerFactory(consumers);
      factory.setBatchListener(true);
      return factory;
    }

    @Bean
    RestClient restClient(RestClient.Builder builder, Environment environment) {
      return builder.baseUrl(environment.getProperty("app.downstream")).build();
    }
  }

  @RestController
  static class Produce {
    private final KafkaTemplate<String, String> template;

    Produce(KafkaTemplate<String, String> template) {
      this.template = template;
    }

    /** Sends one record; answers how many headers the application's record holds afterwards. */
    @GetMapping("/produce")
    String produce(
        @RequestParam("topic") String topic,
        @RequestParam("value") String value,
        @RequestParam(name = "own", defaultValue = "false") boolean own)
        throws Exception {
      List<Header> headers = new ArrayList<>();
      if (own) {
        headers.add(
            new RecordHeader("X-Request-Id", "app-set".getBytes(StandardCharsets.US_ASCII)));
      }
      ProducerRecord<String, String> record =
          new ProducerRecord<>(topic, null, null, null, value, headers);
      template.send(record).get();
      return String.valueOf(record.headers().toArray().length);
    }
  }

  static class Listeners {
    private final RestClient client;
    private final Seen seen;

    Listeners(RestClient client, Seen seen) {
      this.client = client;
      this.seen = seen;
    }

    @KafkaListener(topics = {ORDERS, AUDIT})
    void onRecord(ConsumerRecord<String, String> record) {
      note(record);
      client.get().uri("/from-record/" + record.value()).retrieve().toBodilessEntity();
    }

    @KafkaListener(topics = BATCH, containerFactory = "batchFactory", groupId = "batch-list")
    void onList(List<ConsumerRecord<String, String>> records) {
      for (ConsumerRecord<String, String> record : records) {
        note(record);
        client.get().uri("/from-batch/" + record.value()).retrieve().toBodilessEntity();
      }
    }

    @KafkaListener(
        topics = BATCH_RECORDS,
        containerFactory = "batchFactory",
        groupId = "batch-records")
    void onConsumerRecords(ConsumerRecords<String, String> records) {
      for (ConsumerRecord<String, String> record : records) {
        client.get().uri("/from-batch/" + record.value()).retrieve().toBodilessEntity();
      }
    }

    private void note(ConsumerRecord<String, String> record) {
      List<String> names = new ArrayList<>();
      record.headers().forEach(header -> names.add(header.key()));
      seen.recordHeaders.put(record.value(), names);
    }
  }
}
