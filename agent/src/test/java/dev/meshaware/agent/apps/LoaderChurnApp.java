package dev.meshaware.agent.apps;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A host that loads and drops application class loaders, as a servlet container does on every
 * redeploy: {@value #LOADERS} fresh loaders each load the servlet API and {@link LoaderServlet} (an
 * instrumented {@code HttpServlet}), serve one request that calls downstream, and are closed and
 * dropped. Prints how many loaders the garbage collector took back, and how many downstream calls
 * carried the request's {@code x-request-id}.
 */
public final class LoaderChurnApp {
  static final int LOADERS = 100;

  private LoaderChurnApp() {}

  public static void main(String[] args) throws Exception {
    Set<String> forwarded = ConcurrentHashMap.newKeySet();
    HttpServer downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    downstream.createContext(
        "/",
        exchange -> {
          String id = exchange.getRequestHeaders().getFirst("x-request-id");
          if (id != null) {
            forwarded.add(id);
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    downstream.start();
    String url = "http://127.0.0.1:" + downstream.getAddress().getPort() + "/";
    URL[] classPath = {servletApiJar(), ownClasses()};

    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    for (int i = 0; i < LOADERS; i++) {
      loaders.add(serveOnce(classPath, "loader-" + i, url));
    }
    int alive = LOADERS;
    for (int attempt = 0; attempt < 40 && alive > 0; attempt++) {
      System.gc();
      Thread.sleep(50);
      alive = (int) loaders.stream().filter(ref -> ref.get() != null).count();
    }
    downstream.stop(0);
    System.out.println(
        "APP-RESULT collected="
            + (LOADERS - alive)
            + "/"
            + LOADERS
            + " forwarded="
            + forwarded.size());
  }

  /** One loader's life: load, serve a request with {@code requestId}, close. */
  private static WeakReference<ClassLoader> serveOnce(URL[] classPath, String requestId, String url)
      throws Exception {
    // The platform loader as parent: the servlet API and LoaderServlet come from this loader only.
    URLClassLoader loader = new URLClassLoader(classPath, ClassLoader.getPlatformClassLoader());
    Class<?> servlet = Class.forName(LoaderServlet.class.getName(), true, loader);
    Class<?> request = Class.forName("javax.servlet.http.HttpServletRequest", false, loader);
    Class<?> response = Class.forName("javax.servlet.http.HttpServletResponse", false, loader);
    Map<String, String> headers = Map.of("x-request-id", requestId);
    Object get =
        Proxy.newProxyInstance(
            loader,
            new Class<?>[] {request},
            (proxy, method, methodArgs) -> {
              switch (method.getName()) {
                case "getMethod":
                  return "GET";
                case "getHeader":
                  return headers.get(String.valueOf(methodArgs[0]).toLowerCase());
                case "getParameter":
                  return "downstream".equals(methodArgs[0]) ? url : null;
                default:
                  return defaultValue(method.getReturnType());
              }
            });
    Object answer =
        Proxy.newProxyInstance(
            loader,
            new Class<?>[] {response},
            (proxy, method, methodArgs) -> defaultValue(method.getReturnType()));
    Method service =
        servlet.getMethod(
            "service",
            Class.forName("javax.servlet.ServletRequest", false, loader),
            Class.forName("javax.servlet.ServletResponse", false, loader));
    service.invoke(servlet.getConstructor().newInstance(), get, answer);
    loader.close();
    return new WeakReference<>(loader);
  }

  private static Object defaultValue(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == long.class) {
      return -1L;
    }
    if (type == int.class) {
      return 0;
    }
    return null;
  }

  private static URL servletApiJar() throws Exception {
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (Paths.get(entry).getFileName().toString().startsWith("javax.servlet-api")) {
        return Paths.get(entry).toUri().toURL();
      }
    }
    throw new IllegalStateException("no javax.servlet-api jar on the class path");
  }

  private static URL ownClasses() throws Exception {
    return LoaderServlet.class.getProtectionDomain().getCodeSource().getLocation();
  }
}
