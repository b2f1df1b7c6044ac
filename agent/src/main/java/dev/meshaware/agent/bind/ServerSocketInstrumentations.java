package dev.meshaware.agent.bind;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.SimpleInstrumentation;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import java.util.List;

/**
 * Every TCP server socket the JVM opens, at the JDK's public bind methods of the three server
 * socket kinds, which every server (Tomcat, Jetty, Undertow, Netty's NIO transport, the JDK's
 * {@code HttpServer}, gRPC on Netty NIO) ends in: {@code ServerSocket} (its {@code bind} is what
 * its constructors call), the {@code ServerSocketChannel} implementation (its socket adaptor
 * delegates there) and the {@code AsynchronousServerSocketChannel} one. These see only sockets that
 * will listen, never a client socket, and see the address and port the application asked for, so a
 * port chosen by the system (0) is told apart from a real one; {@code sun.nio.ch.Net.listen} would
 * see the same sockets but only after the bind, and cannot tell a requested port 0 apart.
 *
 * <p>Netty's epoll transport binds in native code; its server channel's {@code doBind} is advised
 * instead, under both its own name and gRPC's shaded one (Reactor Netty and grpc-netty-shaded use
 * epoll on Linux when it loads). Netty's io_uring and kqueue transports are not covered.
 */
public final class ServerSocketInstrumentations {
  private static final String SOCKET_ADDRESS = "java.net.SocketAddress";

  private ServerSocketInstrumentations() {}

  /** The JDK's three server socket kinds and Netty's epoll server channel, both names. */
  public static List<TypeInstrumentation> all() {
    AdviceSpec bind = AdviceSpec.method("bind", ListenAdvice.class, SOCKET_ADDRESS, "int");
    return List.of(
        new SimpleInstrumentation("server-socket", List.of("java.net.ServerSocket"), List.of(bind)),
        new SimpleInstrumentation(
            "server-socket-channel", List.of("sun.nio.ch.ServerSocketChannelImpl"), List.of(bind)),
        new SimpleInstrumentation(
            "async-server-socket-channel",
            List.of("sun.nio.ch.AsynchronousServerSocketChannelImpl"),
            List.of(bind)),
        new SimpleInstrumentation(
            "netty-epoll-server",
            List.of(
                "io.netty.channel.epoll.EpollServerSocketChannel",
                "io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel"),
            List.of(AdviceSpec.method("doBind", ListenAdvice.class, SOCKET_ADDRESS))));
  }
}
