package dev.meshaware.examples.demo;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The meshaware demo, on loopback only: a simulated sidecar per service, a chain {@code frontend}
 * (Spring Boot with the starter) -> {@code catalog} (plain Java with the agent) -> {@code stock}
 * (plain Java with the agent), a request with Envoy-like headers, a mis-bound admin port, a
 * sidecar-generated 503, a SIGTERM drained without a failed request, and a trace carried through a
 * Kafka topic ({@link KafkaStep}). Args: the agent jar, the file holding the services' class path
 * and the file holding the Kafka step's.
 */
public final class Demo {
  private static final Pattern HOP =
      Pattern.compile(
          "\"service\":\"([^\"]+)\",\"x-request-id\":(null|\"[^\"]*\"),"
              + "\"x-b3-traceid\":(null|\"[^\"]*\"),\"x-b3-spanid\":(null|\"[^\"]*\")");

  private final Narrator say = new Narrator();
  private final String agentJar;
  private final String classpath;
  private final List<Service> services = new ArrayList<>();
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final KafkaStep kafka;

  private Demo(String agentJar, String classpath, String kafkaClasspath) {
    this.agentJar = agentJar;
    this.classpath = classpath;
    this.kafka = new KafkaStep(say, agentJar, kafkaClasspath, client);
  }

  public static void main(String[] args) throws Exception {
    String classpath = Files.readString(Paths.get(args[1])).trim();
    String demoClasses =
        Paths.get(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    String kafkaClasspath =
        demoClasses + File.pathSeparator + Files.readString(Paths.get(args[2])).trim();
    Demo demo = new Demo(Paths.get(args[0]).toAbsolutePath().toString(), classpath, kafkaClasspath);
    try {
      demo.run();
    } finally {
      demo.services.forEach(Service::kill);
      demo.kafka.stop();
    }
    System.exit(0);
  }

  private void run() throws Exception {
    say.title("1. Each service is held until its sidecar is ready");
    // Step 5's broker starts first: its start-up runs beside the other steps.
    kafka.start();
    SimulatedSidecar stockSidecar = SimulatedSidecar.start("stock", Duration.ofMillis(1500), say);
    SimulatedSidecar catalogSidecar =
        SimulatedSidecar.start("catalog", Duration.ofMillis(2500), say);
    SimulatedSidecar frontendSidecar =
        SimulatedSidecar.start("frontend", Duration.ofMillis(3500), say);
    int stockPort = Service.freePort();
    int catalogPort = Service.freePort();
    int frontendPort = Service.freePort();
    Service stock = plain("stock", stockPort, stockSidecar, null, Map.of());
    Service catalog =
        plain(
            "catalog",
            catalogPort,
            catalogSidecar,
            "http://127.0.0.1:" + stockPort + "/",
            Map.of(
                // an admin port bound to loopback only: unreachable through the sidecar
                "-Dservice.admin-port",
                Integer.toString(Service.freePort()),
                "-Dservice.admin-address",
                "127.0.0.1"));
    Service frontend =
        spring("frontend", frontendPort, frontendSidecar, "http://127.0.0.1:" + catalogPort + "/");
    for (Service service : List.of(stock, catalog, frontend)) {
      service.awaitListening(Duration.ofSeconds(45));
    }
    say.line("all three services are up; each started only once its sidecar said ready");

    say.title("2. One request, the same ids at every hop");
    String requestId = UUID.randomUUID().toString();
    String traceId = "463ac35c9f6413ad48485a3953bb6124";
    String spanId = "a2fb4a1d1a96d312";
    say.line("client -> frontend with x-request-id=" + requestId + " x-b3-traceid=" + traceId);
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontendPort + "/"))
                .header("x-request-id", requestId)
                .header("x-b3-traceid", traceId)
                .header("x-b3-spanid", spanId)
                .header("x-b3-sampled", "1")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    drawTree(response.body(), requestId, traceId);
    say.line(
        "frontend makes its own RestClient (RestClient.create(), no Boot builder), calls catalog"
            + " through an @HttpExchange interface from its own ThreadPoolTaskExecutor: the"
            + " starter covers all three without a line of code");

    say.title("3. A pod without a sidecar starts at once; a sidecar's 503, explained");
    FakeEnvoy envoy = FakeEnvoy.start();
    // ratings runs in a pod without a mesh and without the annotations file: the gate reads the
    // pod's network (no proxy port, the Kubernetes API reached directly) and does not wait.
    Service ratings;
    int ratingsPort = Service.freePort();
    List<String> ratingsOptions = plainOptions("ratings", envoy.url("/ratings"), Map.of());
    ratingsOptions.add("-Dservice.port=" + ratingsPort);
    try (ServerSocket kubernetesApi = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      ratings =
          launch(
              "ratings",
              ratingsPort,
              null,
              Map.of(
                  "KUBERNETES_SERVICE_HOST",
                  "127.0.0.1",
                  "KUBERNETES_SERVICE_PORT",
                  Integer.toString(kubernetesApi.getLocalPort())),
              ratingsOptions,
              "dev.meshaware.examples.plain.ServiceMain",
              List.of());
      ratings.awaitListening(Duration.ofSeconds(30));
    }
    HttpResponse<String> failed =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ratings.port() + "/"))
                .header("x-request-id", "ratings-" + requestId.substring(0, 8))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    say.line(
        "ratings answered "
            + failed.statusCode()
            + " (its outbound sidecar said 'no healthy upstream')");
    Thread.sleep(300);
    envoy.stop();

    say.title("4. SIGTERM: catalog keeps serving while the mesh drops it, then exits");
    drain(catalog, catalogPort);

    say.title("5. Through a Kafka topic: HTTP in, record out, record in, HTTP out");
    kafka.run();

    say.title("Done");
    say.line("finished in " + say.elapsed() + "; nothing left running");
  }

  private Service plain(
      String name, int port, SimulatedSidecar sidecar, String downstream, Map<String, String> extra)
      throws Exception {
    List<String> options = plainOptions(name, downstream, extra);
    options.add("-Dservice.port=" + port);
    return launch(
        name,
        port,
        sidecar,
        Map.of(),
        options,
        "dev.meshaware.examples.plain.ServiceMain",
        List.of());
  }

  private List<String> plainOptions(String name, String downstream, Map<String, String> extra) {
    List<String> options = new ArrayList<>();
    options.add("-javaagent:" + agentJar);
    options.add("-Dservice.name=" + name);
    if (downstream != null) {
      options.add("-Dservice.downstream=" + downstream);
    }
    extra.forEach((key, value) -> options.add(key + "=" + value));
    return options;
  }

  private Service spring(String name, int port, SimulatedSidecar sidecar, String downstream)
      throws Exception {
    return launch(
        name,
        port,
        sidecar,
        Map.of(),
        List.of(),
        "dev.meshaware.examples.spring.FrontendApplication",
        List.of(
            "--server.port=" + port,
            "--frontend.downstream=" + downstream,
            "--spring.main.banner-mode=off",
            "--logging.level.root=warn",
            "--logging.level.dev.meshaware=info",
            "--logging.pattern.console=%m%n"));
  }

  private Service launch(
      String name,
      int port,
      SimulatedSidecar sidecar,
      Map<String, String> env,
      List<String> jvmOptions,
      String mainClass,
      List<String> programArguments)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Dmeshaware.shutdown.delay=2s");
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(programArguments);
    Service service = Service.start(name, port, command, sidecar, env, say);
    services.add(service);
    return service;
  }

  private void drawTree(String body, String requestId, String traceId) {
    Matcher hop = HOP.matcher(body);
    String indent = "";
    boolean same = true;
    say.line("client   x-request-id=" + requestId);
    while (hop.find()) {
      String id = strip(hop.group(2));
      String trace = strip(hop.group(3));
      same &= requestId.equals(id) && traceId.equals(trace);
      say.line(
          indent
              + "└─ "
              + String.format("%-9s", hop.group(1))
              + "x-request-id="
              + id
              + "  x-b3-traceid="
              + trace
              + "  x-b3-spanid="
              + strip(hop.group(4)));
      indent += "   ";
    }
    say.line(
        same
            ? "the same ids arrived at every hop: the sidecars can stitch one trace"
            : "the ids did NOT arrive everywhere: " + body);
  }

  private static String strip(String json) {
    return json.equals("null") ? "-" : json.substring(1, json.length() - 1);
  }

  private void drain(Service catalog, int port) throws Exception {
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long stopSendingAt = System.nanoTime() + Duration.ofMillis(2300).toNanos();
    Thread load =
        new Thread(
            () -> {
              while (System.nanoTime() < stopSendingAt) {
                try {
                  int status =
                      client
                          .send(
                              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                  .timeout(Duration.ofSeconds(5))
                                  .build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode();
                  (status == 200 ? ok : failed).incrementAndGet();
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  failed.incrementAndGet();
                }
              }
            },
            "demo-load");
    load.start();
    Thread.sleep(500);
    say.line("SIGTERM -> catalog, while the client keeps sending for ~2 s as the mesh would");
    catalog.terminate();
    load.join();
    say.line("requests during the shutdown: " + ok.get() + " ok, " + failed.get() + " failed");
    catalog.awaitExit(Duration.ofSeconds(20));
  }
}
