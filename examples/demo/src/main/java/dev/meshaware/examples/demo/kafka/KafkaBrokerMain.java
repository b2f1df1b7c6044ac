package dev.meshaware.examples.demo.kafka;

import java.lang.reflect.Field;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * The demo's Kafka: Kafka's own KRaft broker (one combined broker and controller, from its test
 * kit) on loopback, with the topic {@code orders} (one partition). Prints {@code kafka listening on
 * <bootstrap>} once ready, then runs until its JVM is stopped (SIGTERM: the test kit's shutdown
 * hook deletes its log directories). Args: the topic.
 */
public final class KafkaBrokerMain {
  private KafkaBrokerMain() {}

  public static void main(String[] args) throws Exception {
    String topic = args.length > 0 ? args[0] : "orders";
    KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
    onLoopbackOnly(cluster);
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    try (Admin client = Admin.create(admin)) {
      client.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    System.out.println(
        "kafka listening on "
            + cluster.bootstrapServers()
            + " (KRaft, one broker and controller; topic "
            + topic
            + ")");
    Thread.currentThread().join();
  }

  /**
   * The test kit reserves each listener's port with a socket bound to the wildcard address, and the
   * broker would keep that socket. Closing them before start-up makes the broker bind each listener
   * where it says, {@code localhost}, on the same port: loopback only.
   */
  private static void onLoopbackOnly(KafkaClusterTestKit cluster) throws Exception {
    Field managerField = KafkaClusterTestKit.class.getDeclaredField("socketFactoryManager");
    managerField.setAccessible(true);
    Object manager = managerField.get(cluster);
    Field socketsField = manager.getClass().getDeclaredField("sockets");
    socketsField.setAccessible(true);
    @SuppressWarnings("unchecked")
    Map<Integer, Map<String, ServerSocketChannel>> sockets =
        (Map<Integer, Map<String, ServerSocketChannel>>) socketsField.get(manager);
    synchronized (manager) {
      for (Map<String, ServerSocketChannel> node : sockets.values()) {
        for (ServerSocketChannel socket : node.values()) {
          socket.close();
        }
      }
    }
  }
}
