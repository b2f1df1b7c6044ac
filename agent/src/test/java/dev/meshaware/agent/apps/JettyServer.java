package dev.meshaware.agent.apps;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Inbound through Jetty 12's servlet container (ee10, {@code jakarta.servlet}); Jetty 10 and 11 run
 * in {@code library/jetty}'s tests.
 */
final class JettyServer {
  private JettyServer() {}

  static int start() throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void doGet(HttpServletRequest request, HttpServletResponse response)
                  throws IOException {
                response.getWriter().write(ServiceApp.handle(request.getQueryString()));
              }
            }),
        "/*");
    server.setHandler(context);
    server.start();
    return connector.getLocalPort();
  }
}
