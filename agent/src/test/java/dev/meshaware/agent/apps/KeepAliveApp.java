package dev.meshaware.agent.apps;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import javax.management.ObjectName;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Starts Tomcat and Reactor Netty servers with a short idle keep-alive timeout and with a long one
 * (or none), a JDK {@code HttpServer} and a Jetty connector (30 s each, their defaults), and
 * Undertow servers with a short {@code NO_REQUEST_TIMEOUT} and without one, printing {@code PORT
 * <name> <port>} for each; sends each short one and the JDK's a retried POST or PATCH, a retried
 * GET and a first attempt; then prints the MBean's retried requests as {@code MBEAN <value>}, and
 * the startup report's idle timeouts as {@code REPORT <line>}, and stops.
 */
public final class KeepAliveApp {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private KeepAliveApp() {}

  public static void main(String[] args) throws Exception {
    Tomcat tomcatShort = tomcat("tomcat-short", 5_000);
    Tomcat tomcatLong = tomcat("tomcat-long", 7_200_000);
    DisposableServer reactorShort =
        reactor("reactor-short", HttpServer.create().idleTimeout(Duration.ofSeconds(5)));
    DisposableServer reactorNone = reactor("reactor-none", HttpServer.create());
    com.sun.net.httpserver.HttpServer jdk =
        com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    jdk.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    jdk.start();
    System.out.println("PORT jdk " + jdk.getAddress().getPort());
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    jetty.start();
    System.out.println("PORT jetty " + connector.getLocalPort());
    Undertow undertowShort = undertow("undertow-short", 5_000);
    Undertow undertowNone = undertow("undertow-none", -1);

    int tomcatPort = tomcatShort.getConnector().getLocalPort();
    send(tomcatPort, "POST", "/orders?id=1&secret=s", "2", "r-tomcat-post");
    send(tomcatPort, "GET", "/orders", "2", "r-tomcat-get");
    send(tomcatPort, "POST", "/orders", "1", "r-tomcat-first");
    send(reactorShort.port(), "PATCH", "/items/7?x=1", "3", "r-reactor-patch");
    send(reactorShort.port(), "GET", "/items/7", "5", "r-reactor-get");
    send(reactorShort.port(), "POST", "/items", "not-a-number", "r-reactor-bad");
    send(jdk.getAddress().getPort(), "POST", "/jobs", "2", "r-jdk-post");
    send(jdk.getAddress().getPort(), "DELETE", "/jobs/1", "2", "r-jdk-delete");
    send(connector.getLocalPort(), "POST", "/jetty-orders", "2", "r-jetty-post");
    send(port(undertowShort), "PATCH", "/undertow/1", "2", "r-undertow-patch");

    System.out.println("MBEAN " + retriedRequests());
    for (String line : MeshFailuresReader.read("StartupReport").split("\n")) {
      if (line.contains("idle timeout")) {
        System.out.println("REPORT " + line.trim());
      }
    }
    tomcatShort.stop();
    tomcatLong.stop();
    reactorShort.disposeNow();
    reactorNone.disposeNow();
    jdk.stop(0);
    jetty.stop();
    undertowShort.stop();
    undertowNone.stop();
  }

  private static Undertow undertow(String name, int noRequestTimeoutMillis) {
    Undertow.Builder builder =
        Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setHandler(exchange -> exchange.getResponseSender().send("ok"));
    if (noRequestTimeoutMillis > 0) {
      builder.setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, noRequestTimeoutMillis);
    }
    Undertow undertow = builder.build();
    undertow.start();
    System.out.println("PORT " + name + " " + port(undertow));
    return undertow;
  }

  private static int port(Undertow undertow) {
    return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  private static Tomcat tomcat(String name, int keepAliveMillis) throws Exception {
    Tomcat tomcat = new Tomcat();
    File base = Files.createTempDirectory("tomcat").toFile();
    tomcat.setBaseDir(base.getAbsolutePath());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("keepAliveTimeout", String.valueOf(keepAliveMillis));
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", base.getAbsolutePath());
    Tomcat.addServlet(
        context,
        "ok",
        new HttpServlet() {
          @Override
          protected void service(HttpServletRequest request, HttpServletResponse response)
              throws IOException {
            response.getWriter().write("ok");
          }
        });
    context.addServletMappingDecoded("/*", "ok");
    tomcat.start();
    System.out.println("PORT " + name + " " + connector.getLocalPort());
    return tomcat;
  }

  private static DisposableServer reactor(String name, HttpServer server) {
    DisposableServer bound =
        server
            .host("127.0.0.1")
            .port(0)
            .handle((request, response) -> response.sendString(Mono.just("ok")))
            .bindNow();
    System.out.println("PORT " + name + " " + bound.port());
    return bound;
  }

  private static void send(int port, String method, String path, String attempt, String id)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.ofString("{}"))
            .header("x-envoy-attempt-count", attempt)
            .header("x-request-id", id)
            .build();
    int status = CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    System.out.println("SENT " + method + " " + path + " " + status);
  }

  /** The MBean is registered with the startup report: waits for it, at most ten seconds. */
  private static String retriedRequests() throws InterruptedException {
    ObjectName name;
    try {
      name = new ObjectName("dev.meshaware:type=MeshFailures");
    } catch (Exception e) {
      return "error " + e;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!ManagementFactory.getPlatformMBeanServer().isRegistered(name)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return MeshFailuresReader.read("RetriedRequests");
  }
}
