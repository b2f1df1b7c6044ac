package dev.meshaware.examples.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka step: a KRaft broker in its own JVM (started first, so that its start-up overlaps the
 * other steps), {@code orders} ("HTTP in, record out") and {@code billing} ("record in, HTTP out"),
 * both plain Kafka clients with the agent and no meshaware code, and {@code shipping}, an endpoint
 * in the demo's own JVM that records what each call carried.
 */
final class KafkaStep {
  private static final String TOPIC = "orders";
  private static final List<String> SHOWN = List.of("x-request-id", "x-b3-traceid", "end-user");
  private static final Pattern JSON_FIELD = Pattern.compile("\"([^\"]+)\":(null|\"[^\"]*\")");
  private static final Pattern READY = Pattern.compile("kafka listening on (\\S+)");
  private static final Pattern GOT =
      Pattern.compile("billing got (\\S+) at (\\S+), record headers:(.*)");

  private final Narrator say;
  private final String agentJar;
  private final String classpath;
  private final HttpClient client;
  private final List<Service> started = new ArrayList<>();
  private final CompletableFuture<String> bootstrap = new CompletableFuture<>();
  private final CompletableFuture<Void> billingReady = new CompletableFuture<>();
  private final CompletableFuture<Service> orders = new CompletableFuture<>();
  private final Map<String, String[]> records = new ConcurrentHashMap<>();
  private final BlockingQueue<Map<String, String>> shipped = new LinkedBlockingQueue<>();
  private Service broker;
  private HttpServer shipping;

  /** {@code classpath}: the demo's own classes and Kafka's (kafka.classpath). */
  KafkaStep(Narrator say, String agentJar, String classpath, HttpClient client) {
    this.say = say;
    this.agentJar = agentJar;
    this.classpath = classpath;
    this.client = client;
  }

  /** Starts the broker, then (once it is ready, in the background) orders and billing. */
  void start() throws IOException {
    shipping = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    shipping.createContext("/ship", exchange -> record(exchange.getRequestURI(), exchange));
    shipping.setExecutor(null);
    shipping.start();
    broker =
        launch(
            "kafka",
            0,
            List.of(),
            "dev.meshaware.examples.demo.kafka.KafkaBrokerMain",
            line -> {
              Matcher address = READY.matcher(line);
              if (address.find()) {
                bootstrap.complete(address.group(1));
              }
            });
    say.from("kafka", "(step 5's broker: it starts now, beside the others)");
    bootstrap.thenAcceptAsync(this::startServices);
  }

  private void startServices(String kafka) {
    try {
      String shippingUrl = "http://127.0.0.1:" + shipping.getAddress().getPort() + "/ship";
      int port = Service.freePort();
      orders.complete(
          launch(
              "orders",
              port,
              agentOptions(
                  "-Dservice.port=" + port, "-Dkafka.bootstrap=" + kafka, "-Dkafka.topic=" + TOPIC),
              "dev.meshaware.examples.demo.kafka.OrdersMain",
              line -> {}));
      launch(
          "billing",
          0,
          agentOptions(
              "-Dkafka.bootstrap=" + kafka,
              "-Dkafka.topic=" + TOPIC,
              "-Dservice.downstream=" + shippingUrl),
          "dev.meshaware.examples.demo.kafka.BillingMain",
          this::billingLine);
    } catch (Exception e) {
      orders.completeExceptionally(e);
      billingReady.completeExceptionally(e);
    }
  }

  private void billingLine(String line) {
    if (line.startsWith("billing consuming ")) {
      say.from("billing", line);
      billingReady.complete(null);
      return;
    }
    Matcher got = GOT.matcher(line);
    if (got.matches()) {
      records.put(got.group(1), new String[] {got.group(2), got.group(3).trim()});
    }
  }

  private List<String> agentOptions(String... options) {
    List<String> all = new ArrayList<>();
    all.add("-javaagent:" + agentJar);
    all.add("-Dmeshaware.propagation.extra-headers=end-user");
    all.add("-Dmeshaware.report.enabled=false"); // steps 1 to 4 show the rest
    all.addAll(List.of(options));
    return all;
  }

  /** Step 5: two orders, each followed from the client to the call billing makes. */
  void run() throws Exception {
    String kafka = await(bootstrap, "the Kafka broker did not start");
    Service ordersService = await(orders, "orders did not start");
    ordersService.awaitListening(Duration.ofSeconds(30));
    await(billingReady, "billing did not start consuming");
    say.line(
        "orders sends a record with a plain KafkaProducer while serving GET /order; billing's"
            + " plain poll loop calls shipping for each record; both run with the agent, neither"
            + " has meshaware code (broker "
            + kafka
            + ")");
    say.line(
        "client -> orders (HTTP) -> topic " + TOPIC + " -> billing (consumer) -> shipping (HTTP)");
    String traceId = "80f198ee56343ba864fe8b2a57d3eff7";
    String alice =
        follow(ordersService.port(), UUID.randomUUID().toString(), traceId, "alice", true);
    String bob =
        follow(
            ordersService.port(),
            UUID.randomUUID().toString(),
            "e457b5a2e4d86bd1e457b5a2e4d86bd1",
            "bob",
            false);
    say.line(alice + "; " + bob);
  }

  private String follow(int port, String requestId, String traceId, String user, boolean draw)
      throws Exception {
    Map<String, String> sent = new LinkedHashMap<>();
    sent.put("x-request-id", requestId);
    sent.put("x-b3-traceid", traceId);
    sent.put("end-user", user);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/order"))
            .timeout(Duration.ofSeconds(10))
            .header("x-b3-spanid", traceId.substring(0, 16))
            .header("x-b3-sampled", "1");
    sent.forEach(request::header);
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    Map<String, String> atOrders = new HashMap<>();
    Matcher field = JSON_FIELD.matcher(response.body());
    while (field.find()) {
      atOrders.put(field.group(1), strip(field.group(2)));
    }
    String order = atOrders.get("order");
    Map<String, String> atShipping = shipped.poll(10, TimeUnit.SECONDS);
    if (response.statusCode() != 200 || atShipping == null) {
      say.line("the order did NOT go through: " + response.statusCode() + " " + response.body());
      return "order of " + user + " lost";
    }
    String[] record = records.getOrDefault(atShipping.get("order"), new String[] {"?", ""});
    Map<String, String> onRecord = new HashMap<>();
    for (String pair : record[1].split(" ")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        onRecord.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    boolean same =
        sent.equals(pick(atOrders)) && sent.equals(pick(onRecord)) && sent.equals(pick(atShipping));
    if (draw) {
      say.line("client -> orders GET /order with " + show(sent));
      say.line("client                           " + show(sent));
      say.line("└─ orders   (HTTP in)            " + show(pick(atOrders)));
      say.line(String.format("   └─ %-27s", "record " + record[0]) + show(pick(onRecord)));
      say.line("      └─ billing -> shipping (HTTP) " + show(pick(atShipping)));
      say.line(
          same
              ? "the ids and end-user the client sent arrived verbatim at the call billing made"
                  + " while processing the record: through the topic, with no code in the apps"
              : "the ids did NOT arrive through the topic: record "
                  + record[1]
                  + ", shipping got "
                  + atShipping);
    }
    return "order "
        + order
        + " of end-user="
        + user
        + (same ? ": shipping got its own ids" : ": shipping got " + pick(atShipping));
  }

  private static Map<String, String> pick(Map<String, String> headers) {
    Map<String, String> shown = new LinkedHashMap<>();
    for (String name : SHOWN) {
      shown.put(name, headers.get(name));
    }
    return shown;
  }

  private static String show(Map<String, String> headers) {
    StringBuilder line = new StringBuilder();
    headers.forEach(
        (name, value) ->
            line.append(line.length() == 0 ? "" : "  ")
                .append(name)
                .append('=')
                .append(value == null ? "-" : value));
    return line.toString();
  }

  private static String strip(String json) {
    return json.equals("null") ? null : json.substring(1, json.length() - 1);
  }

  private void record(URI uri, HttpExchange exchange) throws IOException {
    Map<String, String> headers = new HashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
    String query = uri.getQuery();
    headers.put("order", query == null ? "?" : query.replace("order=", ""));
    shipped.add(headers);
    exchange.sendResponseHeaders(200, -1);
    try (OutputStream ignored = exchange.getResponseBody()) {
      // no body
    }
  }

  private <T> T await(CompletableFuture<T> future, String failure) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        return future.get(200, TimeUnit.MILLISECONDS);
      } catch (TimeoutException notYet) {
        synchronized (started) {
          for (Service service : started) {
            if (!service.isAlive()) {
              throw new IllegalStateException(failure + ": " + service.name() + " exited");
            }
          }
        }
      }
    }
    throw new IllegalStateException(failure + " within 60 s");
  }

  private Service launch(
      String name, int port, List<String> jvmOptions, String mainClass, Consumer<String> lines)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    // Small JVMs that start fast on a busy machine.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    Service service = Service.start(name, port, command, null, Map.of(), say, lines);
    synchronized (started) {
      started.add(service);
    }
    return service;
  }

  /**
   * Stops what this step started: the services at once, the broker by SIGTERM (its log dirs go).
   */
  void stop() throws InterruptedException {
    List<Service> all;
    synchronized (started) {
      all = new ArrayList<>(started);
    }
    for (Service service : all) {
      if (service != broker) {
        service.kill();
      }
    }
    if (broker != null) {
      broker.terminate();
      broker.awaitExit(Duration.ofSeconds(5));
    }
    if (shipping != null) {
      shipping.stop(0);
    }
  }
}
