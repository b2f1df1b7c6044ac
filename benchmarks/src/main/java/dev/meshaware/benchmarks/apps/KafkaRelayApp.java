package dev.meshaware.benchmarks.apps;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The measured service of the Kafka benchmark, a meshed "Kafka in, Kafka out" worker: a plain
 * consumer loop iterating {@code ConsumerRecords} and producing one record per record consumed
 * (with the agent, each output record gets the trace headers of the record being processed), and a
 * plain produce phase (records sent while nothing is being processed). Both run once to warm up on
 * their own topics, then once measured. Default client settings, as an application has them.
 *
 * <p>Args: bootstrap servers, input prefix (the harness filled {@code <input>warm-in} and {@code
 * <input>in}), output prefix (this run's own topics), warm-up records, measured records, and
 * optionally {@code copy}: the loop copies each input record's headers to its output record itself
 * (the reference for what carrying the headers costs Kafka, without any agent). Prints {@code
 * PRODUCE} and {@code RELAY} lines: records, wall nanoseconds, then the measured thread's CPU
 * nanoseconds and allocated bytes, and the whole process's CPU nanoseconds (steadier than the wall
 * time on a shared machine, and what shows where an agent's cost goes).
 */
public final class KafkaRelayApp {
  private static final AtomicLong FAILED = new AtomicLong();
  private static final Callback COUNT_FAILURES =
      (metadata, exception) -> {
        if (exception != null && FAILED.getAndIncrement() == 0) {
          exception.printStackTrace();
        }
      };

  private static boolean copyHeaders;

  private KafkaRelayApp() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String input = args[1];
    String output = args[2];
    int warmup = Integer.parseInt(args[3]);
    int records = Integer.parseInt(args[4]);
    copyHeaders = args.length > 5 && args[5].equals("copy");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerProperties(bootstrap))) {
      produce(producer, output + "warm-plain", warmup);
      relay(bootstrap, producer, input + "warm-in", output + "warm-out", warmup, new Cost());
      Cost cost = new Cost();
      long produced = produce(producer, output + "plain", records);
      System.out.println("PRODUCE " + records + " " + produced + " " + cost.since());
      long relayed = relay(bootstrap, producer, input + "in", output + "out", records, cost);
      System.out.println("RELAY " + records + " " + relayed + " " + cost.since());
    }
    if (FAILED.get() != 0) {
      throw new IllegalStateException(FAILED.get() + " sends failed");
    }
  }

  /** Sends {@code count} records of {@link KafkaRecords#VALUE_BYTES} bytes; nanoseconds taken. */
  private static long produce(KafkaProducer<byte[], byte[]> producer, String topic, int count) {
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      producer.send(
          new ProducerRecord<>(topic, KafkaRecords.key(i), KafkaRecords.plainValue(i)),
          COUNT_FAILURES);
    }
    producer.flush();
    return System.nanoTime() - start;
  }

  /**
   * Consumes {@code count} records of {@code in} and produces each one's key and value to {@code
   * out}; nanoseconds from the first record handed out to the last one acknowledged (the group join
   * before it is not the application's work per record).
   */
  private static long relay(
      String bootstrap,
      KafkaProducer<byte[], byte[]> producer,
      String in,
      String out,
      int count,
      Cost cost) {
    long start = 0;
    int seen = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(consumerProperties(bootstrap, out))) {
      consumer.subscribe(List.of(in));
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (seen < count) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "consumed " + seen + " of " + count + " records of " + in);
        }
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
        if (start == 0 && !batch.isEmpty()) {
          cost.since();
          start = System.nanoTime();
        }
        for (ConsumerRecord<byte[], byte[]> record : batch) {
          producer.send(
              copyHeaders
                  ? new ProducerRecord<>(out, null, record.key(), record.value(), record.headers())
                  : new ProducerRecord<>(out, record.key(), record.value()),
              COUNT_FAILURES);
          seen++;
        }
      }
      producer.flush();
      return System.nanoTime() - start;
    }
  }

  /** CPU time and allocation of this thread, and CPU time of the process, from a starting point. */
  private static final class Cost {
    private final ThreadMXBean thread = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final OperatingSystemMXBean process =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpu;
    private long allocated;
    private long processCpu;

    Cost() {
      since();
    }

    /** {@code <thread cpu ns> <allocated bytes> <process cpu ns>} since the last call; restarts. */
    String since() {
      long nowCpu = thread.getCurrentThreadCpuTime();
      long nowAllocated = thread.getThreadAllocatedBytes(Thread.currentThread().getId());
      long nowProcess = process.getProcessCpuTime();
      String text =
          (nowCpu - cpu) + " " + (nowAllocated - allocated) + " " + (nowProcess - processCpu);
      cpu = nowCpu;
      allocated = nowAllocated;
      processCpu = nowProcess;
      return text;
    }
  }

  private static Properties producerProperties(String bootstrap) {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return properties;
  }

  private static Properties consumerProperties(String bootstrap, String group) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return properties;
  }
}
