package dev.meshaware.core.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProcessedRecordsTest {
  private HeaderPolicy policy;

  @BeforeEach
  void install() {
    policy =
        HeaderPolicy.from(
            MeshawareSettings.load(
                ConfigSource.of(
                    Map.of(
                        "meshaware.propagation.exclude-topics",
                        "audit,partner.*",
                        "meshaware.propagation.extra-headers",
                        "end-user"),
                    Map.of())));
    Propagation.install(policy);
    ProcessedRecords.end();
  }

  @AfterEach
  void uninstall() {
    ProcessedRecords.end();
    Propagation.install(null);
  }

  private CapturedHeaders record(String requestId) {
    String[] raw = RecordHeaderValues.newRaw(policy);
    RecordHeaderValues.read(
        policy, raw, "X-Request-Id", requestId.getBytes(StandardCharsets.US_ASCII), null);
    return policy.capture(raw);
  }

  @Test
  void readingAnotherRecordThanTheOneHandedOutLastLeavesNothingCurrent() {
    Object r1 = new Object();
    Object r2 = new Object();
    ProcessedRecords.begin(record("r1"), r1);
    ProcessedRecords.touched(r1);
    assertThat(CurrentHeaders.get().get("x-request-id")).isEqualTo("r1");
    ProcessedRecords.begin(record("r2"), r2);
    // a chunk: r1 read ahead, processed after r2 was handed out
    ProcessedRecords.touched(r1);
    assertThat(CurrentHeaders.get()).isNull();
    assertThat(CurrentHeaders.serving()).isNull();
    ProcessedRecords.touched(r2);
    assertThat(CurrentHeaders.get()).isNull();
  }

  @Test
  void eachRecordIsCurrentUntilTheNextAndNothingRemainsAfterTheLast() {
    Object r1 = new Object();
    Object r2 = new Object();
    ProcessedRecords.begin(record("r1"), r1);
    assertThat(CurrentHeaders.get().get("x-request-id")).isEqualTo("r1");
    ProcessedRecords.begin(record("r2"), r2);
    assertThat(CurrentHeaders.get().get("x-request-id")).isEqualTo("r2");
    ProcessedRecords.begin(null, new Object());
    assertThat(CurrentHeaders.get()).isNull();
    ProcessedRecords.end();
    assertThat(CurrentHeaders.get()).isNull();
    assertThat(CurrentHeaders.serving()).isNull();
  }

  @Test
  void aRecordProcessedInsideARequestHidesItAndGivesItBack() {
    try (CurrentHeaders.Scope request = CurrentHeaders.open(record("request"))) {
      ProcessedRecords.begin(null, new Object());
      assertThat(CurrentHeaders.get()).isNull();
      ProcessedRecords.begin(record("r"), new Object());
      assertThat(CurrentHeaders.get().get("x-request-id")).isEqualTo("r");
      ProcessedRecords.end();
      assertThat(CurrentHeaders.get().get("x-request-id")).isEqualTo("request");
    }
    assertThat(CurrentHeaders.get()).isNull();
  }

  @Test
  void aScopeOvertakenByTheWorkAroundItIsDroppedNotClosed() {
    // A task that left its loop early: the task's scope ends while the record's is open.
    CurrentHeaders.Scope task = CurrentHeaders.open(record("task-1"));
    ProcessedRecords.begin(null, new Object());
    task.close();
    assertThat(CurrentHeaders.get()).isNull();
    // The next piece of work on this thread has no owner; ending the stale record must not put
    // back task-1's headers, which were current when that record began.
    try (CurrentHeaders.Scope next = CurrentHeaders.open(null)) {
      ProcessedRecords.end();
      assertThat(CurrentHeaders.get()).isNull();
    }
    CurrentHeaders.Scope other = CurrentHeaders.open(record("task-2"));
    ProcessedRecords.begin(record("r"), new Object());
    other.close();
    ProcessedRecords.begin(record("r2"), new Object());
    assertThat(CurrentHeaders.get().get("x-request-id")).isEqualTo("r2");
    ProcessedRecords.end();
    assertThat(CurrentHeaders.get()).isNull();
  }

  @Test
  void theSameRecordHandedOutTwiceInARowStaysOneScope() {
    Object r = new Object();
    ProcessedRecords.begin(record("r"), r);
    assertThat(Propagation.isCurrent(r)).isTrue();
    assertThat(Propagation.isCurrent(new Object())).isFalse();
    ProcessedRecords.end();
    assertThat(Propagation.isCurrent(r)).isFalse();
  }

  @Test
  void badValuesAreSkippedAndGoodOnesKeptByteForByte() {
    String[] raw = RecordHeaderValues.newRaw(policy);
    RecordHeaderValues.read(
        policy, raw, "traceparent", new byte[] {0, 1, 2, (byte) 0xff}, "t-topic");
    RecordHeaderValues.read(policy, raw, "b3", new byte[0], "t-topic");
    RecordHeaderValues.read(policy, raw, "x-b3-traceid", null, "t-topic");
    RecordHeaderValues.read(
        policy, raw, "end-user", "j\u00fcrgen".getBytes(StandardCharsets.UTF_8), "t-topic");
    RecordHeaderValues.read(policy, raw, "x-b3-spanid", new byte[5000], "t-topic");
    RecordHeaderValues.read(
        policy, raw, "x-request-id", " a b ".getBytes(StandardCharsets.US_ASCII), "t-topic");
    RecordHeaderValues.read(
        policy, raw, "not-a-trace-header", "x".getBytes(StandardCharsets.US_ASCII), "t-topic");
    CapturedHeaders captured = policy.capture(raw);
    assertThat(captured.size()).isEqualTo(1);
    assertThat(captured.get("x-request-id")).isEqualTo(" a b ");
    assertThat(RecordHeaderValues.encode(" a b "))
        .isEqualTo(" a b ".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void theLastOfRepeatedHeadersWinsAsKafkasLastHeaderDoes() {
    String[] raw = RecordHeaderValues.newRaw(policy);
    RecordHeaderValues.read(
        policy, raw, "x-request-id", "first".getBytes(StandardCharsets.US_ASCII), "t-topic");
    RecordHeaderValues.read(
        policy, raw, "x-request-id", "last".getBytes(StandardCharsets.US_ASCII), "t-topic");
    assertThat(policy.capture(raw).get("x-request-id")).isEqualTo("last");
  }

  @Test
  void excludedTopicsGetNothing() {
    try (CurrentHeaders.Scope ignored = CurrentHeaders.open(record("r"))) {
      assertThat(Propagation.forTopic("orders")).isNotNull();
      assertThat(Propagation.forTopic("audit")).isNull();
      assertThat(Propagation.forTopic("audit-2")).isNotNull();
      assertThat(Propagation.forTopic("partner.x")).isNull();
      assertThat(Propagation.forTopic(null)).isNull();
    }
    assertThat(Propagation.forTopic("orders")).isNull();
  }

  @Test
  void topicListProblemsNameTheEntry() {
    TopicGlobs globs = TopicGlobs.parse("ok, a*b ,bad topic, *,,x*");
    assertThat(globs.problems())
        .containsExactly(
            "'a*b' has a '*' that is not at its end (only prefix* patterns are accepted)",
            "'bad topic' has ' ', which no topic name can hold");
    assertThat(globs.matches("anything")).isTrue();
    TopicGlobs typo = TopicGlobs.parse("orders,partner.**");
    assertThat(typo.matches("partner.x")).as("fails closed: the entry meant these").isTrue();
    assertThat(typo.matches("billing")).isTrue();
    assertThat(TopicGlobs.parse("..").problems())
        .containsExactly("'..' is a name Kafka forbids for topics");
    assertThat(TopicGlobs.parse("orders,partner.*").matches("billing")).isFalse();
    assertThat(TopicGlobs.parse("").matches("x")).isFalse();
    assertThat(TopicGlobs.parse("").matches(null)).isFalse();
  }
}
