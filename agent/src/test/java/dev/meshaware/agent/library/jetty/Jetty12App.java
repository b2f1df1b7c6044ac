package dev.meshaware.agent.library.jetty;

import dev.meshaware.core.shutdown.InflightRequests;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.EnumSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.springframework.http.client.reactive.JettyClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The child JVM of {@link Jetty12IT}: a Jetty 12 core server ({@code Handler.Wrapper} around a
 * {@code Handler.Abstract}) and an ee10 servlet container (a filter, a servlet, async dispatch),
 * both calling out through Jetty's {@code HttpClient}, Spring's {@code WebClient} on Jetty's
 * connector or {@code HttpURLConnection}. Prints {@code JETTY-APP <corePort> <servletPort>}; runs
 * until its standard input closes.
 *
 * <p>Core server, {@code /?mode=M&client=C&url=U[&appset=V][&wrapper=U2]}: mode {@code direct}
 * calls U with client C and answers with the status; {@code later} does the same on an application
 * executor after the handler returned, completing the callback there; {@code hold} waits until
 * {@code interleave-b} is done; {@code interleave-a} sends to {@code hold} and, in its response
 * listener, calls {@code U}; {@code interleave-b} sends to U, calls {@code U/after} in its listener
 * and releases {@code hold}; {@code orphan} has a thread that serves no request send to U and call
 * {@code U/after} in the listener. {@code wrapper=U2}: the wrapper handler calls U2 first.
 *
 * <p>Servlet container, {@code /s?filtercall=U[&async=1]}: the filter calls U on every dispatch and
 * answers with the status and the in-flight count it saw; with {@code async=1} the servlet starts
 * async and a thread of no request dispatches it again.
 */
public final class Jetty12App {
  static final String APP_SET_HEADER = "x-b3-spanid";
  private static final CountDownLatch HOLD = new CountDownLatch(1);
  private static final BlockingQueue<Runnable> ORPHAN_WORK = new LinkedBlockingQueue<>();
  private static final ExecutorService APP_EXECUTOR = Executors.newSingleThreadExecutor();
  private static HttpClient client;
  private static WebClient webClient;
  private static int corePort;

  private Jetty12App() {}

  public static void main(String[] args) throws Exception {
    // A thread of no request, started before any: work handed to it through a plain queue (not an
    // executor) belongs to no request.
    Thread orphan =
        new Thread(
            () -> {
              while (true) {
                try {
                  ORPHAN_WORK.take().run();
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  e.printStackTrace();
                }
              }
            },
            "orphan");
    orphan.setDaemon(true);
    orphan.start();
    client = new HttpClient();
    client.start();
    webClient = WebClient.builder().clientConnector(new JettyClientHttpConnector(client)).build();
    Server core = server();
    core.setHandler(new Wrapper(new CoreHandler()));
    core.start();
    corePort = ((ServerConnector) core.getConnectors()[0]).getLocalPort();
    Server servlets = server();
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(
        new FilterHolder(new CallingFilter()),
        "/*",
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    context.addServlet(new ServletHolder(new AsyncServlet()), "/*");
    servlets.setHandler(context);
    servlets.start();
    int servletPort = ((ServerConnector) servlets.getConnectors()[0]).getLocalPort();
    System.out.println("JETTY-APP " + corePort + " " + servletPort);
    System.out.flush();
    while (System.in.read() >= 0) {
      // until the test closes our standard input
    }
    System.exit(0);
  }

  private static Server server() {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    return server;
  }

  /** A {@code Handler.Wrapper} of the application's: calls {@code wrapper=U2} before the rest. */
  static final class Wrapper extends Handler.Wrapper {
    Wrapper(Handler handler) {
      super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String url = Request.extractQueryParameters(request).getValue("wrapper");
      if (url != null) {
        urlConnection(url, null);
      }
      return super.handle(request, response, callback);
    }
  }

  /** The core handler; see the class comment. */
  static final class CoreHandler extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      Fields params = Request.extractQueryParameters(request);
      String mode = params.getValue("mode");
      String url = params.getValue("url");
      String appSet = params.getValue("appset");
      String via = params.getValue("client");
      switch (mode) {
        case "direct":
          Content.Sink.write(response, true, call(via, url, appSet), callback);
          return true;
        case "later":
          APP_EXECUTOR.execute(
              () -> Content.Sink.write(response, true, call(via, url, appSet), callback));
          return true;
        case "hold":
          System.out.println("JETTY-HOLDING");
          System.out.flush();
          boolean released = HOLD.await(20, TimeUnit.SECONDS);
          Content.Sink.write(response, true, released ? "held" : "never released", callback);
          return true;
        case "interleave-a":
          client
              .newRequest("http://127.0.0.1:" + corePort + "/?mode=hold")
              .timeout(30, TimeUnit.SECONDS)
              .send(
                  result ->
                      Content.Sink.write(
                          response,
                          true,
                          urlConnection(url, null) + " " + Thread.currentThread().getName(),
                          callback));
          return true;
        case "interleave-b":
          client
              .newRequest(url)
              .timeout(30, TimeUnit.SECONDS)
              .send(
                  result -> {
                    String after = urlConnection(url + "/after", null);
                    HOLD.countDown();
                    Content.Sink.write(
                        response, true, after + " " + Thread.currentThread().getName(), callback);
                  });
          return true;
        case "orphan":
          ORPHAN_WORK.add(
              () ->
                  client
                      .newRequest(url)
                      .timeout(30, TimeUnit.SECONDS)
                      .send(
                          result ->
                              Content.Sink.write(
                                  response, true, urlConnection(url + "/after", null), callback)));
          return true;
        default:
          Content.Sink.write(response, true, "unknown mode " + mode, callback);
          return true;
      }
    }
  }

  /** Calls {@code url} with {@code via}; answers with the status, or the failure. */
  static String call(String via, String url, String appSet) {
    try {
      switch (via) {
        case "jetty-blocking":
          org.eclipse.jetty.client.Request request =
              client.newRequest(url).timeout(30, TimeUnit.SECONDS);
          if (appSet != null) {
            request.headers(h -> h.put(APP_SET_HEADER, appSet));
          }
          ContentResponse response = request.send();
          return String.valueOf(response.getStatus());
        case "jetty-async":
          java.util.concurrent.CompletableFuture<String> status =
              new java.util.concurrent.CompletableFuture<>();
          org.eclipse.jetty.client.Request async =
              client.newRequest(url).timeout(30, TimeUnit.SECONDS);
          if (appSet != null) {
            async.headers(h -> h.put(APP_SET_HEADER, appSet));
          }
          async.send(
              result ->
                  status.complete(
                      result.isFailed()
                          ? "failed " + result.getFailure()
                          : String.valueOf(result.getResponse().getStatus())));
          return status.get(30, TimeUnit.SECONDS);
        case "webclient":
          return String.valueOf(
              webClient
                  .get()
                  .uri(URI.create(url))
                  .headers(
                      h -> {
                        if (appSet != null) {
                          h.set(APP_SET_HEADER, appSet);
                        }
                      })
                  .retrieve()
                  .toBodilessEntity()
                  .block(java.time.Duration.ofSeconds(30))
                  .getStatusCode()
                  .value());
        default:
          return urlConnection(url, appSet);
      }
    } catch (Exception e) {
      e.printStackTrace();
      return "error " + e;
    }
  }

  static String urlConnection(String url, String appSet) {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      connection.setInstanceFollowRedirects(false);
      if (appSet != null) {
        connection.setRequestProperty(APP_SET_HEADER, appSet);
      }
      int status = connection.getResponseCode();
      connection.getInputStream().readAllBytes();
      return String.valueOf(status);
    } catch (IOException e) {
      return "error " + e;
    }
  }

  /** Calls {@code filtercall} on every dispatch, before the servlet. */
  static final class CallingFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      String url = request.getParameter("filtercall");
      if (url != null) {
        String seen =
            request.getDispatcherType()
                + ":"
                + urlConnection(url + "/" + request.getDispatcherType(), null)
                + ":inflight="
                + InflightRequests.count();
        Object before = request.getAttribute("seen");
        request.setAttribute("seen", before == null ? seen : before + " " + seen);
      }
      chain.doFilter(request, response);
    }
  }

  /** Answers with what the filter saw; with {@code async=1}, dispatches once more first. */
  static final class AsyncServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      if ("1".equals(request.getParameter("async"))
          && request.getDispatcherType() == DispatcherType.REQUEST) {
        AsyncContext async = request.startAsync();
        ORPHAN_WORK.add(async::dispatch);
        return;
      }
      response.getWriter().write(String.valueOf(request.getAttribute("seen")));
    }
  }
}
