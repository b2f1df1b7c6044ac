package dev.meshaware.agent.library.undertow;

import io.undertow.server.HttpHandler;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentManager;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Undertow's servlet layer under {@code /servlet}: a servlet that sleeps {@code ms} milliseconds
 * and answers. Undertow runs servlets on its worker, after dispatching from the I/O thread.
 */
final class UndertowServletDeployment {
  private UndertowServletDeployment() {}

  static HttpHandler start() throws Exception {
    DeploymentManager manager =
        Servlets.defaultContainer()
            .addDeployment(
                Servlets.deployment()
                    .setClassLoader(UndertowServletDeployment.class.getClassLoader())
                    .setContextPath("/servlet")
                    .setDeploymentName("servlet")
                    .addServlet(Servlets.servlet("sleep", SleepServlet.class).addMapping("/*")));
    manager.deploy();
    return manager.start();
  }

  /** Sleeps {@code ?ms=N}, then answers {@code 0}; {@code tell=N} prints {@code ARRIVED N}. */
  public static final class SleepServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      if (request.getParameter("tell") != null) {
        System.out.println(UndertowApp.ARRIVED + request.getParameter("tell"));
      }
      String ms = request.getParameter("ms");
      if (ms != null) {
        try {
          Thread.sleep(Long.parseLong(ms));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      response.getWriter().write("0");
    }
  }
}
