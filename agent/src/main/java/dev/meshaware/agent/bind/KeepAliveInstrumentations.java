package dev.meshaware.agent.bind;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.SimpleInstrumentation;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.bind.KeepAliveCheck;
import dev.meshaware.core.bind.KeepAlivePolicy;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.eclipse.jetty.server.ServerConnector;
import org.xnio.OptionMap;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Where each server, once it listens, hands its idle keep-alive timeout to {@link KeepAliveCheck}:
 * one instrumentation per server, each part of its library (and its switch). Every advice reads the
 * port the server listens on and the timeout it will close an idle connection after.
 */
public final class KeepAliveInstrumentations {
  private KeepAliveInstrumentations() {}

  /**
   * Tomcat 9 to 11, once an HTTP connector's protocol has started. Tomcat's {@code
   * keepAliveTimeout} falls back to {@code connectionTimeout} when unset ({@code
   * AbstractEndpoint.getKeepAliveTimeout}), which embedded Tomcat sets to 60 s ({@code
   * AbstractHttp11Protocol}'s constructor) and Tomcat's own {@code server.xml} to 20 s; a negative
   * value never times out.
   */
  public static TypeInstrumentation tomcat() {
    return new SimpleInstrumentation(
        "tomcat-keep-alive",
        List.of("org.apache.coyote.AbstractProtocol"),
        List.of(AdviceSpec.method("start", TomcatAdvice.class)));
  }

  /**
   * Reactor Netty 1.x's HTTP server, once {@code bindNow} returns (Spring Boot's {@code
   * NettyWebServer} binds this way; {@code bindNow()} delegates to this method). Its {@code
   * idleTimeout} is unset by default: the server never closes an idle connection. A server bound
   * through the {@code bind()} publisher alone is not seen.
   */
  public static TypeInstrumentation reactorNetty() {
    return new SimpleInstrumentation(
        "reactor-netty-keep-alive",
        List.of("reactor.netty.transport.ServerTransport"),
        List.of(AdviceSpec.method("bindNow", ReactorNettyAdvice.class, "java.time.Duration")));
  }

  /** Jetty 10 to 12, once a {@code ServerConnector} has opened (idle timeout: 30 s unless set). */
  public static TypeInstrumentation jetty() {
    return new SimpleInstrumentation(
        "jetty-keep-alive",
        List.of("org.eclipse.jetty.server.ServerConnector"),
        List.of(AdviceSpec.method("open", JettyAdvice.class)));
  }

  /**
   * Undertow 2.3 and 2.4, once started: the shorter of {@code NO_REQUEST_TIMEOUT} (between
   * requests, {@code HttpReadListener}) and {@code IDLE_TIMEOUT} (any idle connection, {@code
   * HttpOpenListener}); both unset by default, and then Undertow never closes an idle connection.
   */
  public static TypeInstrumentation undertow() {
    return new SimpleInstrumentation(
        "undertow-keep-alive",
        List.of("io.undertow.Undertow"),
        List.of(AdviceSpec.method("start", UndertowAdvice.class)));
  }

  /**
   * The JDK's {@code com.sun.net.httpserver} (HTTP and HTTPS), once started: one timeout for all
   * its servers ({@link KeepAlivePolicy#jdkHttpServerIdleTimeout()}).
   */
  public static TypeInstrumentation jdkHttpServer() {
    return new SimpleInstrumentation(
        "jdk-httpserver-keep-alive",
        List.of("sun.net.httpserver.HttpServerImpl", "sun.net.httpserver.HttpsServerImpl"),
        List.of(AdviceSpec.method("start", JdkHttpServerAdvice.class)));
  }

  /** Tomcat: the started protocol's port and keep-alive timeout. */
  public static final class TomcatAdvice {
    private TomcatAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This AbstractProtocol<?> protocol) {
      if (KeepAliveCheck.isActive() && protocol instanceof AbstractHttp11Protocol) {
        int port = protocol.getLocalPort() > 0 ? protocol.getLocalPort() : protocol.getPort();
        KeepAliveCheck.listening(
            KeepAlivePolicy.Server.TOMCAT, port, Duration.ofMillis(protocol.getKeepAliveTimeout()));
      }
    }
  }

  /** Reactor Netty: the bound HTTP server's port and idle timeout. */
  public static final class ReactorNettyAdvice {
    private ReactorNettyAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object transport, @Advice.Return DisposableServer server) {
      if (KeepAliveCheck.isActive() && transport instanceof HttpServer && server != null) {
        KeepAliveCheck.listening(
            KeepAlivePolicy.Server.REACTOR_NETTY,
            server.port(),
            ((HttpServer) transport).configuration().idleTimeout());
      }
    }
  }

  /** Jetty: the opened connector's port and idle timeout. */
  public static final class JettyAdvice {
    private JettyAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This ServerConnector connector) {
      if (KeepAliveCheck.isActive()) {
        KeepAliveCheck.listening(
            KeepAlivePolicy.Server.JETTY,
            connector.getLocalPort(),
            Duration.ofMillis(connector.getIdleTimeout()));
      }
    }
  }

  /** Undertow: each listener's port, and the server's idle options. */
  public static final class UndertowAdvice {
    private UndertowAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.This Undertow undertow,
        @Advice.FieldValue("serverOptions") OptionMap serverOptions) {
      if (!KeepAliveCheck.isActive()) {
        return;
      }
      Duration idle =
          KeepAlivePolicy.shorterTimeout(
              serverOptions.get(UndertowOptions.NO_REQUEST_TIMEOUT, -1),
              serverOptions.get(UndertowOptions.IDLE_TIMEOUT, -1));
      for (Undertow.ListenerInfo listener : undertow.getListenerInfo()) {
        SocketAddress address = listener.getAddress();
        if (address instanceof InetSocketAddress) {
          KeepAliveCheck.listening(
              KeepAlivePolicy.Server.UNDERTOW, ((InetSocketAddress) address).getPort(), idle);
        }
      }
    }
  }

  /** The JDK's server: the started server's port. */
  public static final class JdkHttpServerAdvice {
    private JdkHttpServerAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This com.sun.net.httpserver.HttpServer server) {
      if (KeepAliveCheck.isActive()) {
        KeepAliveCheck.listening(
            KeepAlivePolicy.Server.JDK_HTTP_SERVER,
            server.getAddress().getPort(),
            KeepAlivePolicy.jdkHttpServerIdleTimeout());
      }
    }
  }
}
