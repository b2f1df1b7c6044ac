package dev.meshaware.agent.library.jetty;

import dev.meshaware.core.shutdown.InflightRequests;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.EnumSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The child JVM of {@link Jetty10IT} and {@link Jetty11IT}: a Jetty 10 ({@code javax.servlet}) or
 * 11 ({@code jakarta.servlet}) servlet container whose filter calls out through that Jetty's {@code
 * HttpClient}. The tests compile against Jetty 12, whose classes have other names and shapes, so
 * Jetty itself is driven by reflection here; the filter and servlet are the application's own
 * ({@link JavaxParts}, {@link JakartaParts}). Prints {@code JETTY-APP <port>}.
 *
 * <p>{@code /s?client=C&url=U[&appset=V][&async=1]}: on every dispatch the filter calls U with
 * Jetty's client, C {@code blocking} or {@code async} (whose response listener then calls {@code
 * U/after} with {@code HttpURLConnection}), and notes the status and the in-flight count it saw;
 * the servlet answers with the notes. With {@code async=1} the servlet starts async and a thread of
 * no request dispatches it again.
 */
public final class JettyOlderApp {
  static final BlockingQueue<Runnable> ORPHAN_WORK = new LinkedBlockingQueue<>();
  private static Object client;

  private JettyOlderApp() {}

  public static void main(String[] args) throws Exception {
    // Jetty 11's request is a jakarta.servlet request; Jetty 10's a javax.servlet one.
    boolean jakarta =
        Class.forName("jakarta.servlet.http.HttpServletRequest")
            .isAssignableFrom(Class.forName("org.eclipse.jetty.server.Request"));
    Thread orphan = new Thread(JettyOlderApp::serveOrphanWork, "orphan");
    orphan.setDaemon(true);
    orphan.start();
    client = Class.forName("org.eclipse.jetty.client.HttpClient").getConstructor().newInstance();
    client.getClass().getMethod("start").invoke(client);

    Class<?> serverType = Class.forName("org.eclipse.jetty.server.Server");
    Object server = serverType.getConstructor().newInstance();
    Class<?> connectorType = Class.forName("org.eclipse.jetty.server.ServerConnector");
    Object connector = connectorType.getConstructor(serverType).newInstance(server);
    connectorType.getMethod("setHost", String.class).invoke(connector, "127.0.0.1");
    connectorType.getMethod("setPort", int.class).invoke(connector, 0);
    serverType
        .getMethod("addConnector", Class.forName("org.eclipse.jetty.server.Connector"))
        .invoke(server, connector);
    Object context =
        Class.forName("org.eclipse.jetty.servlet.ServletContextHandler")
            .getConstructor()
            .newInstance();
    String servlet = jakarta ? "jakarta.servlet." : "javax.servlet.";
    Object filter = jakarta ? new JakartaParts.CallingFilter() : new JavaxParts.CallingFilter();
    Object handler = jakarta ? new JakartaParts.AsyncServlet() : new JavaxParts.AsyncServlet();
    Class<?> filterHolder = Class.forName("org.eclipse.jetty.servlet.FilterHolder");
    Class<?> servletHolder = Class.forName("org.eclipse.jetty.servlet.ServletHolder");
    @SuppressWarnings({"unchecked", "rawtypes"})
    EnumSet<?> dispatches =
        EnumSet.of(
            Enum.valueOf((Class) Class.forName(servlet + "DispatcherType"), "REQUEST"),
            Enum.valueOf((Class) Class.forName(servlet + "DispatcherType"), "ASYNC"));
    context
        .getClass()
        .getMethod("addFilter", filterHolder, String.class, EnumSet.class)
        .invoke(
            context,
            filterHolder.getConstructor(Class.forName(servlet + "Filter")).newInstance(filter),
            "/*",
            dispatches);
    context
        .getClass()
        .getMethod("addServlet", servletHolder, String.class)
        .invoke(
            context,
            servletHolder.getConstructor(Class.forName(servlet + "Servlet")).newInstance(handler),
            "/*");
    serverType
        .getMethod("setHandler", Class.forName("org.eclipse.jetty.server.Handler"))
        .invoke(server, context);
    serverType.getMethod("start").invoke(server);
    int port = (int) connectorType.getMethod("getLocalPort").invoke(connector);
    System.out.println("JETTY-APP " + port);
    System.out.flush();
    while (System.in.read() >= 0) {
      // until the test closes our standard input
    }
    System.exit(0);
  }

  private static void serveOrphanWork() {
    while (true) {
      try {
        ORPHAN_WORK.take().run();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        e.printStackTrace();
      }
    }
  }

  /** What the filter notes for one dispatch: {@code <dispatch>:<status>:inflight=<n>}. */
  static String callFor(String dispatch, String via, String url, String appSet) {
    return dispatch + ":" + call(via, url, appSet) + ":inflight=" + InflightRequests.count();
  }

  private static String call(String via, String url, String appSet) {
    try {
      Object request = client.getClass().getMethod("newRequest", String.class).invoke(client, url);
      Class<?> api = Class.forName("org.eclipse.jetty.client.api.Request");
      api.getMethod("timeout", long.class, TimeUnit.class).invoke(request, 30L, TimeUnit.SECONDS);
      if (appSet != null) {
        api.getMethod("header", String.class, String.class)
            .invoke(request, Jetty12App.APP_SET_HEADER, appSet);
      }
      if ("blocking".equals(via)) {
        Object response = api.getMethod("send").invoke(request);
        return String.valueOf(response.getClass().getMethod("getStatus").invoke(response));
      }
      CompletableFuture<String> status = new CompletableFuture<>();
      Class<?> listener = Class.forName("org.eclipse.jetty.client.api.Response$CompleteListener");
      Consumer<Object> onComplete =
          result -> {
            try {
              Object response = result.getClass().getMethod("getResponse").invoke(result);
              boolean failed = (boolean) result.getClass().getMethod("isFailed").invoke(result);
              String after = Jetty12App.urlConnection(url + "/after", null);
              status.complete(
                  failed
                      ? "failed"
                      : response.getClass().getMethod("getStatus").invoke(response) + "+" + after);
            } catch (ReflectiveOperationException e) {
              status.complete("error " + e);
            }
          };
      Object proxy =
          Proxy.newProxyInstance(
              listener.getClassLoader(),
              new Class<?>[] {listener},
              (self, method, args) -> {
                switch (method.getName()) {
                  case "onComplete":
                    onComplete.accept(args[0]);
                    return null;
                  case "hashCode":
                    return System.identityHashCode(self);
                  case "equals":
                    return self == args[0];
                  case "toString":
                    return "listener";
                  default:
                    return method.isDefault()
                        ? java.lang.reflect.InvocationHandler.invokeDefault(self, method, args)
                        : null;
                }
              });
      Method send = api.getMethod("send", listener);
      send.invoke(request, proxy);
      return status.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      e.printStackTrace();
      return "error " + e;
    }
  }
}
