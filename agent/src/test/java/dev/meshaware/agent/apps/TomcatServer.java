package dev.meshaware.agent.apps;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** Inbound through embedded Tomcat 11 ({@code jakarta.servlet}). */
final class TomcatServer {
  private TomcatServer() {}

  static int start() throws Exception {
    Tomcat tomcat = new Tomcat();
    File base = Files.createTempDirectory("tomcat").toFile();
    tomcat.setBaseDir(base.getAbsolutePath());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxThreads", System.getProperty("server.threads", "50"));
    connector.setProperty("maxKeepAliveRequests", "-1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", base.getAbsolutePath());
    Tomcat.addServlet(
        context,
        "call",
        new HttpServlet() {
          @Override
          protected void doGet(HttpServletRequest request, HttpServletResponse response)
              throws IOException {
            response.getWriter().write(ServiceApp.handle(request.getQueryString()));
          }
        });
    context.addServletMappingDecoded("/*", "call");
    // Async servlet: the outbound call runs on Tomcat's own executor after the request thread
    // returned to the pool.
    Tomcat.addServlet(
            context,
            "async",
            new HttpServlet() {
              @Override
              protected void doGet(HttpServletRequest request, HttpServletResponse response) {
                jakarta.servlet.AsyncContext async = request.startAsync();
                String query = request.getQueryString();
                async.start(
                    () -> {
                      try {
                        async.getResponse().getWriter().write(ServiceApp.handle(query));
                      } catch (IOException e) {
                        e.printStackTrace();
                      }
                      async.complete();
                    });
              }
            })
        .setAsyncSupported(true);
    context.addServletMappingDecoded("/async-call", "async");
    // A handler that fails after calling out: the worker thread must still be restored.
    Tomcat.addServlet(
        context,
        "fail",
        new HttpServlet() {
          @Override
          protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            ServiceApp.handle(request.getQueryString());
            throw new IllegalStateException("handler failed on purpose");
          }
        });
    context.addServletMappingDecoded("/fail-call", "fail");
    tomcat.start();
    return connector.getLocalPort();
  }
}
