package dev.meshaware.agent.library.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.HttpContract;
import dev.meshaware.agent.testing.MeshedService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Kafka in a real child JVM with the agent and a real KRaft broker on loopback: an HTTP request
 * produces records; consumers (a plain poll loop, Kafka Streams, Spring Kafka's containers) call a
 * recording downstream for each record. The application has no meshaware code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaPropagationIT {
  private static final AtomicInteger IDS = new AtomicInteger();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private KafkaBroker broker;
  private MeshedService service;
  private KafkaProducer<String, String> testProducer;

  /** The child's libraries: the test class path (Kafka 4.1, Spring Kafka 4.0). */
  ChildJvm child(ChildJvm jvm) {
    return jvm.property("app.spring", "true");
  }

  boolean streams() {
    return true;
  }

  boolean spring() {
    return true;
  }

  /** Requests of the scale case, 200 records each. */
  int scaleRequests() {
    return 50;
  }

  @BeforeAll
  void start() throws Exception {
    broker = KafkaBroker.start();
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (String name :
        List.of(
            "e2e",
            "chain-in",
            "chain-out",
            "excl",
            "s-in",
            "s-out",
            "sk-rec",
            "sk-batch",
            "par",
            "pool")) {
      topics.put(name, 1);
    }
    topics.put("iso", 4);
    broker.createTopics(topics);
    Path stateDir = Files.createTempDirectory("kafka-it-streams");
    String consumers = "e2e:1,chain-in:1,chain-out:1,excl:1,s-out:1,iso:2,par:1,pool:1,chunk:1";
    ChildJvm jvm =
        ChildJvm.running(KafkaApp.class)
            .property("app.bootstrap", broker.bootstrap())
            .property("app.consumers", consumers)
            .property("app.streams", Boolean.toString(streams()))
            .property("app.stateDir", stateDir.toString())
            .property("meshaware.propagation.extra-headers", "end-user")
            .property("meshaware.propagation.exclude-topics", "excl")
            .property("meshaware.startup.mode", "never")
            .property("meshaware.report.delay", "1s");
    service = MeshedService.start("jdk", child(jvm));
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    testProducer = new KafkaProducer<>(props);
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable each : new AutoCloseable[] {testProducer, service, broker}) {
      if (each != null) {
        each.close();
      }
    }
  }

  /** The HTTP tests' trace headers, plus a single-header {@code b3}. */
  static Map<String, String> traceHeaders(String id) {
    Map<String, String> headers = new LinkedHashMap<>(HttpContract.traceHeaders(id));
    headers.put("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1");
    return headers;
  }

  private String produce(String query, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(service.baseUrl() + "/produce?" + query))
            .timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body() + "\n" + service.output()).isEqualTo(200);
    return response.body();
  }

  /** Every call the downstream received for {@code tag}, waiting for at least one. */
  private List<LoggedRequest> received(String tag) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<LoggedRequest> found = new ArrayList<>();
      for (ServeEvent event : service.downstream().getAllServeEvents()) {
        String url = event.getRequest().getUrl();
        if (url.equals("/rec/" + tag) || url.startsWith("/rec/" + tag + "?")) {
          found.add(event.getRequest());
        }
      }
      if (!found.isEmpty() || System.nanoTime() > deadline) {
        assertThat(found).as("calls for " + tag + "\n" + service.output()).isNotEmpty();
        return found;
      }
      Thread.sleep(20);
    }
  }

  private static void assertCarries(LoggedRequest call, Map<String, String> sent, String what) {
    sent.forEach(
        (name, value) ->
            assertThat(call.getHeaders().getHeader(name).values())
                .as(what + " " + name)
                .containsExactly(value));
  }

  private static void assertCarriesNone(LoggedRequest call, String what) {
    for (String name : traceHeaders("x").keySet()) {
      assertThat(call.getHeaders().getHeader(name).isPresent())
          .as(what + " carries " + name + ": " + call.getHeaders())
          .isFalse();
    }
  }

  private static String id(String label) {
    return label + "-" + IDS.incrementAndGet();
  }

  @Test
  void anHttpRequestsRecordCarriesItsExactHeadersToTheCallItsConsumerMakes() throws Exception {
    String id = id("e2e");
    Map<String, String> sent = traceHeaders(id);
    produce("topic=e2e&value=" + id, sent);
    List<LoggedRequest> calls = received(id);
    assertThat(calls).hasSize(1);
    assertCarries(calls.get(0), sent, "consumer's call");
    assertThat(calls.get(0).getUrl())
        .as("one traceparent on the record")
        .contains("?traceparents=1");
  }

  @Test
  void aRecordProducedWhileProcessingARecordCarriesItsHeadersOn() throws Exception {
    String id = id("chain");
    Map<String, String> sent = traceHeaders(id);
    produce("topic=chain-in&value=" + id, sent);
    List<LoggedRequest> calls = received(id);
    assertThat(calls).hasSize(1);
    assertCarries(calls.get(0), sent, "call made for the record sent on");
  }

  @Test
  void theApplicationsOwnHeaderOnARecordWinsAndIsNotDuplicated() throws Exception {
    String id = id("appset");
    Map<String, String> sent = traceHeaders(id);
    produce("topic=e2e&appset=app-own-id&value=" + id, sent);
    LoggedRequest call = received(id).get(0);
    assertThat(call.getHeaders().getHeader("x-request-id").values()).containsExactly("app-own-id");
    Map<String, String> rest = new HashMap<>(sent);
    rest.remove("x-request-id");
    assertCarries(call, rest, "the headers the application did not set");
  }

  @Test
  void anExcludedTopicGetsNoHeaders() throws Exception {
    String id = id("excl");
    produce("topic=excl&value=" + id, traceHeaders(id));
    assertCarriesNone(received(id).get(0), "a record of an excluded topic");
  }

  @Test
  void aSendsCallbackRunsWithTheHeadersOfTheRequestThatSent() throws Exception {
    String id = id("cb");
    Map<String, String> sent = traceHeaders(id);
    produce("topic=e2e&callback=true&value=" + id, sent);
    assertCarries(received("cb-" + id).get(0), sent, "the send's callback");
  }

  @Test
  void aLoopLeftEarlyKeepsItsRecordOnlyUntilTheConsumerPollsAgain() throws Exception {
    String id = id("break");
    Map<String, String> sent = traceHeaders(id);
    produce("topic=e2e&value=" + id, sent);
    assertCarries(received(id).get(0), sent, "the record the loop left at");
    assertCarriesNone(received("after-" + id).get(0), "the polling thread after its next poll");
  }

  @Test
  void theStartupReportListsKafkaAsCoveredAndLeavesNothingOfItAlone() throws Exception {
    String line = service.awaitLineContaining("kafka (", Duration.ofSeconds(30));
    assertThat(line).as(service.output()).doesNotContain("left alone");
    assertThat(service.linesContaining("left alone").toString()).doesNotContain("kafka");
  }

  @Test
  void aRequestWithoutHeadersForwardsNone() throws Exception {
    String id = id("none");
    produce("topic=e2e&value=" + id, Map.of());
    assertCarriesNone(received(id).get(0), "a record of a request without headers");
  }

  @Test
  void headerValuesARecordCannotForwardAreSkippedAndTheGoodOnesKept() throws Exception {
    String id = id("bad");
    ProducerRecord<String, String> record = new ProducerRecord<>("e2e", "k", id);
    record.headers().add("x-request-id", "good-id".getBytes(StandardCharsets.US_ASCII));
    record.headers().add("traceparent", new byte[] {0, 1, 2, (byte) 0xff});
    record.headers().add("end-user", "j\u00fcrgen".getBytes(StandardCharsets.UTF_8));
    record.headers().add("b3", new byte[0]);
    record.headers().add("x-b3-sampled", null);
    record.headers().add("tracestate", "a".repeat(5000).getBytes(StandardCharsets.US_ASCII));
    record.headers().add("x-b3-traceid", "line\r\nbreak".getBytes(StandardCharsets.US_ASCII));
    testProducer.send(record).get();
    LoggedRequest call = received(id).get(0);
    assertThat(call.getHeaders().getHeader("x-request-id").values()).containsExactly("good-id");
    for (String skipped :
        List.of("traceparent", "end-user", "b3", "x-b3-sampled", "tracestate", "x-b3-traceid")) {
      assertThat(call.getHeaders().getHeader(skipped).isPresent()).as(skipped).isFalse();
    }
    assertThat(service.output()).doesNotContain("Exception");
  }

  @Test
  void aStreamsTopologyRunsEachRecordWithItsHeadersAndItsOutputCarriesThemOnce() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(streams());
    String id = id("streams");
    Map<String, String> sent = traceHeaders(id);
    produce("topic=s-in&value=" + id, sent);
    assertCarries(received("streams-" + id).get(0), sent, "a call from a processor");
    LoggedRequest downstream = received(id).get(0);
    assertCarries(downstream, sent, "a call for the topology's output record");
    assertThat(downstream.getUrl()).contains("?traceparents=1");
  }

  @Test
  void springKafkasRecordListenerRunsWithItsRecordsHeadersAndItsBatchListenerWithNone()
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(spring());
    String id = id("sk");
    Map<String, String> sent = traceHeaders(id);
    produce("topic=sk-rec&value=" + id, sent);
    assertCarries(received(id).get(0), sent, "a record listener's call");
    String batch = id("skb");
    produce("topic=sk-batch&n=3&value=" + batch, traceHeaders(batch));
    for (int i = 0; i < 3; i++) {
      assertCarriesNone(received(batch + "-" + i).get(0), "a batch listener's call");
    }
  }

  /** Sends records with headers of distinct requests from the test (no agent here), at once. */
  private List<String> sendDistinct(String topic, String label, int count) throws Exception {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String value = id(label);
      ProducerRecord<String, String> record = new ProducerRecord<>(topic, "k", value);
      record.headers().add("x-request-id", value.getBytes(StandardCharsets.US_ASCII));
      testProducer.send(record);
      values.add(value);
    }
    testProducer.flush();
    return values;
  }

  @Test
  void recordsReadAheadByAParallelStreamNeverCarryAnotherRecordsHeaders() throws Exception {
    for (String value : sendDistinct("par", "par", 8)) {
      assertCarriesNone(received(value).get(0), "a record of a parallel stream");
    }
  }

  @Test
  void recordsKeptInChunksAndProcessedLaterNeverCarryAnotherRecordsHeaders() throws Exception {
    for (String value : sendDistinct("chunk", "chunk", 12)) {
      assertCarriesNone(received(value).get(0), "a record processed after later ones were read");
    }
  }

  @Test
  void aPoolTaskThatLeavesItsRecordLoopEarlyLeavesNothingToTheNextTask() throws Exception {
    List<String> values = sendDistinct("pool", "pool", 6);
    LoggedRequest first = received(values.get(0)).get(0);
    assertThat(first.getHeaders().getHeader("x-request-id").values())
        .containsExactly(values.get(0));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<LoggedRequest> nextTasks = new ArrayList<>();
    while (nextTasks.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      for (ServeEvent event : service.downstream().getAllServeEvents()) {
        if (event.getRequest().getUrl().startsWith("/rec/next-task-")) {
          nextTasks.add(event.getRequest());
        }
      }
    }
    assertThat(nextTasks).as(service.output()).isNotEmpty();
    for (LoggedRequest next : nextTasks) {
      assertCarriesNone(next, "the next task on the worker");
    }
  }

  /**
   * 10,000 records from 50 requests sent at once, interleaved over 4 partitions, with 500 records
   * without headers among them, read by 2 consumers of one group that make a call for each record:
   * every call carries exactly its own record's request, and each poll loop leaves nothing behind.
   */
  @Test
  void tenThousandRecordsOfFiftyInterleavedRequestsEachCarryTheirOwnRequestOnly() throws Exception {
    int requests = scaleRequests();
    int perRequest = 200;
    String run = id("iso");
    List<CompletableFuture<HttpResponse<String>>> sends = new ArrayList<>();
    for (int r = 0; r < requests; r++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(
                  URI.create(
                      service.baseUrl()
                          + "/produce?topic=iso&n="
                          + perRequest
                          + "&value="
                          + run
                          + "r"
                          + r))
              .timeout(Duration.ofSeconds(60));
      traceHeaders(run + "r" + r).forEach(request::header);
      sends.add(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < 500; i++) {
      testProducer.send(new ProducerRecord<>("iso", Integer.toString(i), run + "n-" + i));
    }
    testProducer.flush();
    for (CompletableFuture<HttpResponse<String>> send : sends) {
      assertThat(send.get().statusCode()).as(send.get().body()).isEqualTo(200);
    }
    int expected = requests * perRequest + 500;
    Map<String, LoggedRequest> byTag = new HashMap<>();
    List<LoggedRequest> afterLoops = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (byTag.size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(200);
      byTag.clear();
      afterLoops.clear();
      for (ServeEvent event : service.downstream().getAllServeEvents()) {
        String url = event.getRequest().getUrl();
        if (url.startsWith("/rec/" + run)) {
          String tag = url.substring("/rec/".length(), url.indexOf('?'));
          assertThat(byTag.put(tag, event.getRequest())).as("one call for " + tag).isNull();
        } else if (url.startsWith("/rec/after-consumer-iso")) {
          afterLoops.add(event.getRequest());
        }
      }
    }
    assertThat(byTag).as(service.output()).hasSize(expected);
    int wrong = 0;
    int none = 0;
    List<String> examples = new ArrayList<>();
    for (Map.Entry<String, LoggedRequest> each : byTag.entrySet()) {
      String tag = each.getKey();
      HttpHeader requestId = each.getValue().getHeaders().getHeader("x-request-id");
      HttpHeader endUser = each.getValue().getHeaders().getHeader("end-user");
      String owner = tag.contains("n-") ? null : tag.substring(0, tag.lastIndexOf('-'));
      String wantedId = owner == null ? null : traceHeaders(owner).get("x-request-id");
      String gotId = requestId.isPresent() ? requestId.firstValue() : null;
      String gotUser = endUser.isPresent() ? endUser.firstValue() : null;
      boolean right =
          owner == null
              ? gotId == null && gotUser == null
              : wantedId.equals(gotId)
                  && ("user-" + owner).equals(gotUser)
                  && requestId.values().size() == 1;
      if (!right) {
        wrong++;
        if (examples.size() < 5) {
          examples.add(tag + " carried " + gotId + " / " + gotUser);
        }
      }
      if (owner == null) {
        none++;
      }
    }
    assertThat(none).isEqualTo(500);
    assertThat(wrong).as("calls carrying another record's headers: " + examples).isZero();
    assertThat(afterLoops).as("poll loops that ended").isNotEmpty();
    for (LoggedRequest after : afterLoops) {
      assertCarriesNone(after, "the polling thread after its loop");
    }
  }
}
