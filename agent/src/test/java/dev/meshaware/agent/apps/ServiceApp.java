package dev.meshaware.agent.apps;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A service for the child JVM: serves {@code /call?client=C&hop=H&path=P[&appset=V]} by calling
 * {@code <downstream>P} with client C through hop H, and answers with the outbound status. System
 * properties: {@code app.inbound} (jdk, tomcat, jetty, reactor, grpc), {@code app.downstream}, and
 * {@code app.grpcDownstream} ({@code host:port}) for the grpc clients. The grpc inbound serves the
 * same query string as a {@link GrpcWire#CALL} message. Prints {@code APP-PORT <port>} when
 * serving; runs until its standard input closes.
 */
public final class ServiceApp {
  /** Printed with the listening port once the server accepts requests. */
  public static final String PORT = "APP-PORT ";

  private ServiceApp() {}

  public static void main(String[] args) throws Exception {
    String inbound = System.getProperty("app.inbound", "jdk");
    int port;
    switch (inbound) {
      case "jdk":
        port = JdkServer.start();
        break;
      default:
        port = LibraryServers.start(inbound);
    }
    System.out.println(PORT + port);
    Thread stdinWatch =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // wait for the test to close our standard input
                }
              } catch (Exception ignored) {
                // closed
              }
              System.exit(0);
            },
            "stdin-watch");
    stdinWatch.setDaemon(true);
    stdinWatch.start();
    while (true) {
      Hops.OUTSIDE.take().run();
    }
  }

  /**
   * Handles one request given its query string; returns the response body. Two more modes: {@code
   * read=body} answers with the outbound status and body as the client gave them to the application
   * ({@link BodyClients}), {@code times} times; {@code mbean=<attribute>} answers with an attribute
   * of meshaware's MBean.
   */
  static String handle(String query) {
    Map<String, String> params = parse(query);
    if (params.containsKey("mbean")) {
      return MeshFailuresReader.read(params.get("mbean"));
    }
    String url = downstreamUrl(params);
    if (params.containsKey("read")) {
      return readBodies(params.getOrDefault("client", "urlconnection"), url, params);
    }
    try {
      return Hops.run(
          params.getOrDefault("hop", "direct"),
          () ->
              Clients.call(
                  params.getOrDefault("client", "urlconnection"), url, params.get("appset")));
    } catch (Exception e) {
      e.printStackTrace();
      return "error " + e;
    }
  }

  /**
   * Calls {@code url} {@code times} times; answers with the one result, or with how often each
   * result came and how long the calls took.
   */
  private static String readBodies(String client, String url, Map<String, String> params) {
    int times = Integer.parseInt(params.getOrDefault("times", "1"));
    if (times == 1) {
      return BodyClients.call(client, url);
    }
    long start = System.nanoTime();
    Map<String, Integer> results = new java.util.TreeMap<>();
    for (int i = 0; i < times; i++) {
      results.merge(BodyClients.call(client, url), 1, Integer::sum);
    }
    return results + " in " + (System.nanoTime() - start) / 1_000_000 + " ms";
  }

  /** The downstream URL a request asks for with {@code path}. */
  static String downstreamUrl(Map<String, String> params) {
    String base = System.getProperty("app.downstream");
    if (params.containsKey("host")) {
      base = base.replace("127.0.0.1", params.get("host"));
    }
    return base + params.getOrDefault("path", "/");
  }

  /** The parameters of a query string (null: none). */
  static Map<String, String> parse(String query) {
    Map<String, String> params = new HashMap<>();
    if (query == null) {
      return params;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(
            pair.substring(0, eq),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }
}
