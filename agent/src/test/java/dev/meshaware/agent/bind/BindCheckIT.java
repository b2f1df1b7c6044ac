package dev.meshaware.agent.bind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshaware.agent.apps.BindApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.FreePorts;
import dev.meshaware.agent.testing.Result;
import dev.meshaware.core.testing.FakeSidecar;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The listen-address check in real child JVMs with the agent, for every kind of server: each binds
 * to all addresses, to loopback, to a sidecar port and to an allow-listed loopback port (warn
 * mode), to loopback and all addresses (fail mode), and to this host's own address.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BindCheckIT {
  private static final Duration CHILD_LIMIT = Duration.ofSeconds(90);
  private static final List<String> SERVERS =
      List.of("jdk", "tomcat", "jetty", "reactor", "netty-nio");
  private static final int SIDECAR_HEALTH_PORT = 15021;

  /** The first frame that is not the JDK's: who bound the socket, as each message must name. */
  private static final Map<String, String> BOUND_AT =
      Map.of(
          "jdk", BindApp.class.getName() + ".listen(",
          "tomcat", "org.apache.tomcat.util.net.NioEndpoint.",
          "jetty", "org.eclipse.jetty.server.ServerConnector.",
          "reactor", "io.netty.channel.epoll.EpollServerSocketChannel.doBind(",
          "netty-nio", "io.netty.channel.socket.nio.NioServerSocketChannel.doBind(");

  private final Map<String, Map<String, Integer>> ports = new LinkedHashMap<>();
  private Binds warn;
  private Binds fail;
  private int allowedPort;

  @BeforeAll
  void runTheServers() throws Exception {
    assumeTrue(free(SIDECAR_HEALTH_PORT), "port 15021 is taken on this machine");
    allowedPort = freePort();
    List<String> warnSpecs = new ArrayList<>();
    List<String> failSpecs = new ArrayList<>();
    for (String server : SERVERS) {
      Map<String, Integer> own = Map.of("wildcard", freePort(), "loopback", freePort());
      ports.put(server, own);
      warnSpecs.add(server + "@0.0.0.0:" + own.get("wildcard"));
      warnSpecs.add(server + "@127.0.0.1:" + own.get("loopback"));
      warnSpecs.add(server + "@127.0.0.1:" + SIDECAR_HEALTH_PORT);
      warnSpecs.add(server + "@127.0.0.1:" + allowedPort);
      failSpecs.add(server + "@127.0.0.1:" + own.get("loopback"));
      failSpecs.add(server + "@0.0.0.0:" + own.get("wildcard"));
    }
    warn =
        Binds.run(
            app()
                .property("meshaware.bind.check", "warn")
                .property("meshaware.bind.allow-loopback-ports", "1," + allowedPort),
            warnSpecs);
    fail = Binds.run(app().property("meshaware.bind.check", "fail"), failSpecs);
  }

  private static ChildJvm app() {
    // Netty loads its epoll library with System.load, which JDK 24 and later warn about unless
    // the application allows it, as Netty's users do; JDK 17 accepts the option too.
    return ChildJvm.running(BindApp.class)
        .withLibraries()
        .jvmOption("--enable-native-access=ALL-UNNAMED")
        // The lines after each bind are attributed to it; the startup report's own block
        // (which lists these listeners) would land on whichever bind came last.
        .property("meshaware.report.enabled", "false");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jdk", "tomcat", "jetty", "reactor", "netty-nio"})
  void warnsAboutLoopbackAndSidecarPortsOnlyNamingWhoBoundThem(String server) {
    int loopback = ports.get(server).get("loopback");
    String boundAt = "(bound at " + BOUND_AT.get(server);

    warn.assertOk(server + "@0.0.0.0:" + ports.get(server).get("wildcard")).isEmpty();
    warn.assertOk(server + "@127.0.0.1:" + loopback)
        .singleElement()
        .asString()
        .startsWith("[meshaware] WARNING server socket 127.0.0.1:" + loopback + " " + boundAt)
        .contains("loopback only", "server.address=0.0.0.0");
    warn.assertOk(server + "@127.0.0.1:" + SIDECAR_HEALTH_PORT)
        .singleElement()
        .asString()
        .startsWith("[meshaware] ERROR server socket 127.0.0.1:15021 " + boundAt)
        .contains("which the Istio sidecar owns (health checks)");
    warn.assertOk(server + "@127.0.0.1:" + allowedPort).as("allow-listed").isEmpty();
    warn.assertNoJvmWarnings();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jdk", "tomcat", "jetty", "reactor", "netty-nio"})
  void failModeRefusesTheBindWithABindExceptionCarryingTheMessage(String server) {
    int loopback = ports.get(server).get("loopback");
    String spec = server + "@127.0.0.1:" + loopback;
    String refusal =
        "refused to listen (meshaware.bind.check=fail): server socket 127.0.0.1:" + loopback;
    assertThat(fail.outcome(spec))
        .startsWith("FAILED")
        .contains("java.net.BindException: [meshaware] " + refusal);
    assertThat(fail.meshawareLines(spec))
        .singleElement()
        .asString()
        .startsWith("[meshaware] ERROR " + refusal + " (bound at " + BOUND_AT.get(server));
    fail.assertOk(server + "@0.0.0.0:" + ports.get(server).get("wildcard")).isEmpty();
    fail.assertNoJvmWarnings();
  }

  @Test
  void warnsAboutThisHostsOwnAddress() throws Exception {
    Optional<InetAddress> own = ownAddress();
    assumeTrue(own.isPresent(), "this machine has no non-loopback address");
    String host = own.get().getHostAddress();
    List<String> specs = new ArrayList<>();
    Map<String, Integer> hostPorts = new LinkedHashMap<>();
    for (String server : SERVERS) {
      hostPorts.put(server, freePort());
      specs.add(server + "@" + host + ":" + hostPorts.get(server));
    }
    Binds binds = Binds.run(app().property("meshaware.bind.check", "warn"), specs);
    for (String server : SERVERS) {
      binds
          .assertOk(server + "@" + host + ":" + hostPorts.get(server))
          .as(server)
          .singleElement()
          .asString()
          .startsWith("[meshaware] WARNING server socket " + host + ":" + hostPorts.get(server))
          .contains("pod IP", "Istio 1.10", "1.9 and older", "server.address=0.0.0.0");
    }
    binds.assertNoJvmWarnings();
  }

  @Test
  void checksRawServerSocketsButNeverClientSockets() throws Exception {
    int port = freePort();
    List<String> specs =
        List.of(
            "server-socket@127.0.0.1:" + port,
            "channel@127.0.0.1:" + port,
            "async-channel@127.0.0.1:" + port,
            "client-socket@127.0.0.1:0",
            "client-socket@127.0.0.1:" + port,
            "client-channel@127.0.0.1:" + port);
    Binds binds = Binds.run(app().property("meshaware.bind.check", "warn"), specs);
    for (String server : specs.subList(0, 3)) {
      binds.assertOk(server).as(server).singleElement().asString().contains("loopback only");
    }
    for (String client : specs.subList(3, specs.size())) {
      binds.assertOk(client).as(client).isEmpty();
    }
    binds.assertNoJvmWarnings();
  }

  @Test
  void byDefaultChecksOnlyWhereASidecarIsOrCouldBe() throws Exception {
    int port = freePort();
    String spec = "jdk@127.0.0.1:" + port;
    Binds laptop = Binds.run(app(), List.of(spec));
    laptop.assertOk(spec).isEmpty();
    try (FakeSidecar sidecar = new FakeSidecar()) {
      sidecar.answer(200);
      Binds pod =
          Binds.run(
              app().inKubernetes().property("meshaware.startup.ready-url", sidecar.readyUrl()),
              List.of(spec));
      pod.assertOk(spec)
          .filteredOn(line -> line.contains("server socket"))
          .singleElement()
          .asString()
          .contains("loopback only");
      pod.assertOk(spec)
          .as("beside a sidecar, the keep-alive comparison too")
          .filteredOn(line -> !line.contains("server socket"))
          .singleElement()
          .asString()
          .contains("the JDK's HttpServer on port " + port + " closes idle keep-alive");
    }
  }

  /** One child's binds: the meshaware lines and the outcome of each. */
  private static final class Binds {
    private final Result result;

    private Binds(Result result) {
      this.result = result;
    }

    static Binds run(ChildJvm jvm, List<String> specs) throws Exception {
      for (String spec : specs) {
        jvm.argument(spec);
      }
      Result result = jvm.run(CHILD_LIMIT);
      assertThat(result.exitCode()).as(result.toString()).isZero();
      return new Binds(result);
    }

    /** The meshaware lines printed while {@code spec} was bound. */
    List<String> meshawareLines(String spec) {
      List<String> lines = result.lines();
      int begin = lines.indexOf(BindApp.BEGIN + spec);
      assertThat(begin).as(spec + " never bound:\n" + result).isNotNegative();
      List<String> found = new ArrayList<>();
      for (String line : lines.subList(begin + 1, lines.size())) {
        if (line.startsWith(BindApp.END + spec + " ")) {
          return found;
        }
        if (line.startsWith("[meshaware]")) {
          found.add(line);
        }
      }
      throw new AssertionError(spec + " never ended:\n" + result);
    }

    String outcome(String spec) {
      String prefix = BindApp.END + spec + " ";
      return result.lines().stream()
          .filter(l -> l.startsWith(prefix))
          .map(l -> l.substring(prefix.length()))
          .findFirst()
          .orElseThrow(() -> new AssertionError(spec + " never ended:\n" + result));
    }

    /** Fails unless {@code spec} listened; returns its meshaware lines for further checks. */
    org.assertj.core.api.ListAssert<String> assertOk(String spec) {
      assertThat(outcome(spec)).as(spec + "\n" + result).isEqualTo("OK");
      return assertThat(meshawareLines(spec)).as(spec + "\n" + result);
    }

    void assertNoJvmWarnings() {
      assertThat(result.jvmWarnings())
          .as("the agent must not make the JVM print warnings")
          .isEmpty();
    }
  }

  private static int freePort() {
    return FreePorts.next();
  }

  private static boolean free(int port) {
    return FreePorts.bindable(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  /** An IPv4 address of one of this machine's interfaces that is up and not loopback. */
  private static Optional<InetAddress> ownAddress() throws Exception {
    return NetworkInterface.networkInterfaces()
        .filter(
            nic -> {
              try {
                return nic.isUp() && !nic.isLoopback();
              } catch (Exception e) {
                return false;
              }
            })
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst();
  }
}
