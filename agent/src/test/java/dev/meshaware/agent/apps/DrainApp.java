package dev.meshaware.agent.apps;

import com.sun.net.httpserver.HttpServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * A service that is stopped with SIGTERM: answers every request with 200, after {@code ?ms=N}
 * milliseconds if asked. System property {@code app.server}: {@code jdk} (default) or {@code
 * tomcat}. Prints {@value #PORT} with its port, then serves until the JVM is stopped.
 */
public final class DrainApp {
  public static final String PORT = "APP-PORT ";

  private DrainApp() {}

  public static void main(String[] args) throws Exception {
    int port = "tomcat".equals(System.getProperty("app.server", "jdk")) ? tomcat() : jdk();
    System.out.println(PORT + port);
    new CountDownLatch(1).await();
  }

  private static int jdk() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    server.createContext(
        "/",
        exchange -> {
          pause(exchange.getRequestURI().getRawQuery());
          byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.start();
    return server.getAddress().getPort();
  }

  private static int tomcat() throws Exception {
    Tomcat tomcat = new Tomcat();
    File base = Files.createTempDirectory("tomcat").toFile();
    tomcat.setBaseDir(base.getAbsolutePath());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", base.getAbsolutePath());
    Tomcat.addServlet(
        context,
        "drain",
        new HttpServlet() {
          @Override
          protected void doGet(HttpServletRequest request, HttpServletResponse response)
              throws java.io.IOException {
            pause(request.getQueryString());
            response.getWriter().write("ok");
          }
        });
    context.addServletMappingDecoded("/*", "drain");
    tomcat.start();
    return connector.getLocalPort();
  }

  private static void pause(String query) {
    if (query != null && query.startsWith("ms=")) {
      try {
        Thread.sleep(Long.parseLong(query.substring(3)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
