package dev.meshaware.agent.apps;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * A servlet that {@link LoaderChurnApp} loads afresh in each of its class loaders: serving a GET,
 * it calls the URL named by its {@code downstream} parameter. Refers to nothing but the servlet API
 * and the JDK, so that it runs the same with and without the agent.
 */
public class LoaderServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    HttpURLConnection call =
        (HttpURLConnection) new URL(request.getParameter("downstream")).openConnection();
    try (InputStream body = call.getInputStream()) {
      body.readAllBytes();
    }
    response.setStatus(call.getResponseCode());
  }
}
