package dev.meshaware.benchmarks.apps;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * The Spring Boot web application of the start-up benchmark: started until ready, one forwarded
 * request through a {@code RestClient}, then closed.
 */
@SpringBootApplication
@RestController
public class BootApp {
  static final AtomicReference<String> ARRIVED = new AtomicReference<>("none");
  static volatile String downstreamUrl;
  private final RestClient client = RestClient.create();

  @GetMapping("/")
  String call() {
    return client.get().uri(downstreamUrl).retrieve().body(String.class);
  }

  public static void main(String[] args) throws Exception {
    HttpServer downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    downstream.createContext(
        "/",
        exchange -> {
          ARRIVED.set(Forwarded.describe(exchange.getRequestHeaders()::getFirst));
          byte[] body = "ok".getBytes();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    downstream.start();
    downstreamUrl = "http://127.0.0.1:" + downstream.getAddress().getPort() + "/next";
    System.setProperty("server.port", "0");
    System.setProperty("server.address", "127.0.0.1");
    System.setProperty("spring.main.banner-mode", "off");
    System.setProperty("logging.level.root", "warn");
    ConfigurableApplicationContext context = SpringApplication.run(BootApp.class, args);
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    HttpRequest request =
        Forwarded.inbound(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")))
            .build();
    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
    System.out.println(Forwarded.PREFIX + ARRIVED.get());
    context.close();
    downstream.stop(0);
    System.exit(0);
  }
}
