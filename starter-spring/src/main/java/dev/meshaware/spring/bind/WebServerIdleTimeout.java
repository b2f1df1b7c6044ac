package dev.meshaware.spring.bind;

import dev.meshaware.core.bind.KeepAlivePolicy;
import java.lang.reflect.Method;
import java.time.Duration;
import org.springframework.core.env.Environment;

/**
 * A Spring Boot web server's idle keep-alive timeout, for the keep-alive comparison: Tomcat's is
 * read from its connector (so that customizers count too), Reactor Netty's, Jetty's and Undertow's
 * from Boot's properties (their servers do not show it). All by reflection and class names: the
 * starter is one jar for Boot 3.5 and 4.0, whose web server classes moved, and needs none of the
 * servers.
 */
final class WebServerIdleTimeout {
  /** Jetty's {@code ServerConnector} default, which Boot keeps when the property is unset. */
  private static final Duration JETTY_DEFAULT = Duration.ofSeconds(30);

  final KeepAlivePolicy.Server server;
  final Duration timeout;

  private WebServerIdleTimeout(KeepAlivePolicy.Server server, Duration timeout) {
    this.server = server;
    this.timeout = timeout;
  }

  /** The timeout of {@code webServer} listening on {@code port}, or null for another server. */
  static WebServerIdleTimeout of(Object webServer, int port, Environment environment)
      throws ReflectiveOperationException {
    String type = webServer.getClass().getSimpleName();
    if (type.startsWith("Tomcat")) {
      Duration timeout = tomcat(webServer, port);
      return timeout == null
          ? null
          : new WebServerIdleTimeout(KeepAlivePolicy.Server.TOMCAT, timeout);
    }
    if (type.startsWith("Netty")) {
      return new WebServerIdleTimeout(
          KeepAlivePolicy.Server.REACTOR_NETTY,
          environment.getProperty("server.netty.idle-timeout", Duration.class));
    }
    if (type.startsWith("Jetty")) {
      return new WebServerIdleTimeout(
          KeepAlivePolicy.Server.JETTY,
          environment.getProperty(
              "server.jetty.connection-idle-timeout", Duration.class, JETTY_DEFAULT));
    }
    if (type.startsWith("Undertow")) {
      return new WebServerIdleTimeout(
          KeepAlivePolicy.Server.UNDERTOW,
          environment.getProperty("server.undertow.no-request-timeout", Duration.class));
    }
    return null;
  }

  /** The keep-alive timeout of the connector on {@code port}, or of the first one. */
  private static Duration tomcat(Object webServer, int port) throws ReflectiveOperationException {
    Object tomcat = invoke(webServer, "getTomcat");
    Object[] connectors = (Object[]) invoke(invoke(tomcat, "getService"), "findConnectors");
    Object chosen = null;
    for (Object connector : connectors) {
      if (chosen == null || (Integer) invoke(connector, "getLocalPort") == port) {
        chosen = connector;
      }
    }
    if (chosen == null) {
      return null;
    }
    Object protocol = invoke(chosen, "getProtocolHandler");
    return Duration.ofMillis((Integer) invoke(protocol, "getKeepAliveTimeout"));
  }

  private static Object invoke(Object target, String name) throws ReflectiveOperationException {
    Method method = target.getClass().getMethod(name);
    return method.invoke(target);
  }
}
