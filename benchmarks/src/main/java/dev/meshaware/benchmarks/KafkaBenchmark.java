package dev.meshaware.benchmarks;

import dev.meshaware.benchmarks.apps.KafkaRecords;
import dev.meshaware.benchmarks.apps.KafkaRelayApp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * Kafka throughput without and with the agent: Kafka's own KRaft broker runs in this JVM on
 * loopback; {@link KafkaRelayApp} runs in a child JVM, once per variant per round (no agent, the
 * meshaware agent, and for reference no agent with the app copying the headers itself), the
 * variants taking turns at going first. Every round has its own topics: the input ones filled here
 * before the round (with trace headers), the output ones per variant, all deleted after the round.
 * Prints one JSON line per variant and round, with what reached the output topics (checked here).
 *
 * <p>Args: java, meshaware agent jar, class path of the app, measured records, warm-up records,
 * rounds, partitions. System property {@code kafka.benchmark.app-options}: more JVM options for the
 * app, space-separated, {@code {variant}} and {@code {round}} replaced (to profile: {@code
 * -XX:StartFlightRecording=filename=/tmp/kafka-{variant}-{round}.jfr,settings=profile}).
 */
public final class KafkaBenchmark {
  private KafkaBenchmark() {}

  public static void main(String[] args) throws Exception {
    String java = args[0];
    String agent = args[1];
    String classpath = args[2];
    int records = Integer.parseInt(args[3]);
    int warmup = Integer.parseInt(args[4]);
    int rounds = Integer.parseInt(args[5]);
    int partitions = Integer.parseInt(args[6]);
    Path logs = Files.createTempDirectory("kafka-bench-broker-");
    try (KafkaClusterTestKit cluster = broker(logs, partitions)) {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      String bootstrap = cluster.bootstrapServers();
      for (String address : bootstrap.split(",")) {
        if (!address.startsWith("localhost:") && !address.startsWith("127.0.0.1:")) {
          throw new IllegalStateException("the broker is not on loopback: " + bootstrap);
        }
      }
      try (Admin admin = Admin.create(client(bootstrap));
          KafkaOutput output = new KafkaOutput(bootstrap)) {
        for (int round = 0; round < rounds; round++) {
          String input = "r" + round + "-";
          create(admin, partitions, input + "warm-in", input + "in");
          fill(admin, bootstrap, input + "warm-in", warmup);
          fill(admin, bootstrap, input + "in", records);
          List<String> order = new ArrayList<>(List.of("none", "meshaware", "copy"));
          Collections.rotate(order, -round);
          for (String variant : order) {
            String prefix = input + variant + "-";
            List<String> topics =
                List.of(
                    prefix + "warm-plain", prefix + "warm-out", prefix + "plain", prefix + "out");
            create(admin, partitions, topics.toArray(new String[0]));
            List<String> command = new ArrayList<>(List.of(java));
            if (variant.equals("meshaware")) {
              command.add("-javaagent:" + agent);
            }
            String logging = System.getProperty("logback.configurationFile");
            if (logging != null) {
              command.add("-Dlogback.configurationFile=" + logging);
            }
            String options = System.getProperty("kafka.benchmark.app-options", "").trim();
            if (!options.isEmpty()) {
              for (String option : options.split(" +")) {
                command.add(
                    option
                        .replace("{variant}", variant)
                        .replace("{round}", Integer.toString(round)));
              }
            }
            command.addAll(
                List.of(
                    "-cp",
                    classpath,
                    KafkaRelayApp.class.getName(),
                    bootstrap,
                    input,
                    prefix,
                    Integer.toString(warmup),
                    Integer.toString(records),
                    variant.equals("copy") ? "copy" : "-"));
            String out = run(command);
            long[] produce = phase(out, "PRODUCE ");
            long[] relay = phase(out, "RELAY ");
            KafkaOutput.Seen relayed = output.read(prefix + "out");
            KafkaOutput.Seen plain = output.read(prefix + "plain");
            System.out.printf(
                Locale.ROOT,
                "{\"variant\":\"%s\",\"round\":%d,\"records\":%d,\"produce\":%s,\"relay\":%s,"
                    + "\"relayed\":%d,\"own_headers\":%d,\"other_headers\":%d,"
                    + "\"plain\":%d,\"plain_with_headers\":%d}%n",
                variant,
                round,
                records,
                json(produce),
                json(relay),
                relayed.records(),
                relayed.ownHeaders(),
                relayed.otherHeaders(),
                plain.records(),
                plain.ownHeaders() + plain.otherHeaders());
            admin.deleteTopics(topics).all().get(1, TimeUnit.MINUTES);
          }
          admin
              .deleteTopics(List.of(input + "warm-in", input + "in"))
              .all()
              .get(1, TimeUnit.MINUTES);
        }
      }
    }
    System.exit(0);
  }

  private static KafkaClusterTestKit broker(Path logs, int partitions) throws Exception {
    return new KafkaClusterTestKit.Builder(
            new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBaseDirectory(logs)
                .build())
        .setConfigProp("num.partitions", Integer.toString(partitions))
        .setConfigProp("offsets.topic.num.partitions", Integer.toString(partitions))
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .setDeleteOnClose(true)
        .build();
  }

  private static void create(Admin admin, int partitions, String... topics) throws Exception {
    List<NewTopic> list = new ArrayList<>();
    for (String topic : topics) {
      list.add(new NewTopic(topic, partitions, (short) 1));
    }
    admin.createTopics(list).all().get(1, TimeUnit.MINUTES);
  }

  static Properties client(String bootstrap) {
    Properties properties = new Properties();
    properties.put("bootstrap.servers", bootstrap);
    return properties;
  }

  /**
   * Fills {@code topic} with input records, from a producer of its own: one kept for every round
   * would keep asking for the deleted topics of the rounds before.
   */
  private static void fill(Admin admin, String bootstrap, String topic, int count)
      throws Exception {
    Properties properties = client(bootstrap);
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    // Not measured: the plainest delivery, one request in flight, no sequence numbers that a
    // retry after a slow broker answer could put out of order (seen once on a busy machine).
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    properties.put(ProducerConfig.ACKS_CONFIG, "1");
    properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    AtomicReference<Exception> failed = new AtomicReference<>();
    try (KafkaProducer<byte[], byte[]> filler = new KafkaProducer<>(properties)) {
      for (int i = 0; i < count; i++) {
        filler.send(
            KafkaRecords.traced(topic, i),
            (metadata, exception) -> failed.compareAndSet(null, exception));
      }
      filler.flush();
    }
    if (failed.get() != null) {
      throw new IllegalStateException("could not fill " + topic, failed.get());
    }
    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    for (TopicPartitionInfo partition :
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
      partitions.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
    }
    long filled = 0;
    for (ListOffsetsResultInfo end : admin.listOffsets(partitions).all().get().values()) {
      filled += end.offset();
    }
    if (filled != count) {
      throw new IllegalStateException(topic + " holds " + filled + " records, not " + count);
    }
  }

  /** Runs the app to its end; its output. */
  private static String run(List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder
        .environment()
        .keySet()
        .removeIf(
            n ->
                n.startsWith("MESHAWARE_")
                    || n.startsWith("KUBERNETES_")
                    || n.startsWith("OTEL_")
                    || n.equals("JAVA_TOOL_OPTIONS")
                    || n.equals("JDK_JAVA_OPTIONS"));
    Process child = builder.start();
    String out;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      out = reader.lines().collect(Collectors.joining("\n"));
    }
    if (child.waitFor() != 0) {
      throw new IllegalStateException("the Kafka app failed: " + command + "\n" + out);
    }
    return out;
  }

  /**
   * The numbers of the app's {@code <what>} line: records, wall ns, thread CPU ns, thread allocated
   * bytes, process CPU ns.
   */
  private static long[] phase(String out, String what) {
    for (String line : out.split("\n")) {
      if (line.startsWith(what)) {
        String[] parts = line.substring(what.length()).trim().split(" ");
        long[] numbers = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
          numbers[i] = Long.parseLong(parts[i]);
        }
        return numbers;
      }
    }
    throw new IllegalStateException("no " + what.trim() + " line in the app's output:\n" + out);
  }

  /** Records/s and per-record costs of one phase, as a JSON object. */
  private static String json(long[] phase) {
    double records = phase[0];
    return String.format(
        Locale.ROOT,
        "{\"rate\":%.1f,\"thread_cpu_us\":%.3f,\"thread_bytes\":%.1f,\"process_cpu_us\":%.3f}",
        records / (phase[1] / 1e9),
        phase[2] / records / 1e3,
        phase[3] / records,
        phase[4] / records / 1e3);
  }
}
