package dev.meshaware.agent.apps;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;

/**
 * Listens on each {@code kind@host:port} of its arguments in turn, then closes again. Kinds: the
 * servers {@code jdk}, {@code tomcat}, {@code jetty}, {@code reactor} (Reactor Netty on its default
 * transport, epoll on Linux), {@code netty-nio} (Reactor Netty forced onto Java NIO); the raw JDK
 * sockets {@code server-socket}, {@code channel}, {@code async-channel}; and the client sockets
 * {@code client-socket}, {@code client-channel}, bound to the address before connecting to a
 * listener of their own. Each bind is framed by {@value #BEGIN} and {@value #END} lines on stderr,
 * where meshaware writes too, so a test can tell which lines belong to which bind.
 */
public final class BindApp {
  public static final String BEGIN = "APP-BIND-BEGIN ";
  public static final String END = "APP-BIND-END ";

  private BindApp() {}

  public static void main(String[] args) throws Exception {
    // Make Tomcat report a connector that cannot bind by throwing, as the other servers do.
    System.setProperty("org.apache.catalina.startup.EXIT_ON_INIT_FAILURE", "true");
    for (String arg : args) {
      String kind = arg.substring(0, arg.indexOf('@'));
      String host = arg.substring(arg.indexOf('@') + 1, arg.lastIndexOf(':'));
      int port = Integer.parseInt(arg.substring(arg.lastIndexOf(':') + 1));
      System.err.println(BEGIN + arg);
      String outcome;
      try {
        listen(kind, new InetSocketAddress(InetAddress.getByName(host), port));
        outcome = "OK";
      } catch (Throwable t) {
        outcome = "FAILED " + chain(t);
      }
      System.err.println(END + arg + " " + outcome);
    }
  }

  private static void listen(String kind, InetSocketAddress address) throws Exception {
    switch (kind) {
      case "jdk":
        HttpServer jdk = HttpServer.create(address, 50);
        jdk.start();
        jdk.stop(0);
        break;
      case "tomcat":
        tomcat(address);
        break;
      case "jetty":
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(address.getAddress().getHostAddress());
        connector.setPort(address.getPort());
        jetty.addConnector(connector);
        try {
          jetty.start();
        } finally {
          jetty.stop();
        }
        break;
      case "reactor":
        reactor(address, null);
        break;
      case "netty-nio":
        LoopResources nio = LoopResources.create("nio", 1, true);
        try {
          reactor(address, nio);
        } finally {
          nio.disposeLater().block(Duration.ofSeconds(5));
        }
        break;
      case "server-socket":
        new ServerSocket(address.getPort(), 50, address.getAddress()).close();
        break;
      case "channel":
        ServerSocketChannel.open().bind(address).close();
        break;
      case "async-channel":
        AsynchronousServerSocketChannel.open().bind(address).close();
        break;
      case "client-socket":
        try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Socket client = new Socket()) {
          client.bind(address);
          client.connect(target.getLocalSocketAddress());
        }
        break;
      case "client-channel":
        try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            SocketChannel client = SocketChannel.open()) {
          client.bind(address);
          client.connect(target.getLocalSocketAddress());
        }
        break;
      default:
        throw new IllegalArgumentException("unknown kind " + kind);
    }
  }

  private static void tomcat(InetSocketAddress address) throws Exception {
    Tomcat tomcat = new Tomcat();
    File base = Files.createTempDirectory("tomcat").toFile();
    tomcat.setBaseDir(base.getAbsolutePath());
    Connector connector = new Connector();
    connector.setPort(address.getPort());
    connector.setProperty("address", address.getAddress().getHostAddress());
    tomcat.setConnector(connector);
    tomcat.addContext("", base.getAbsolutePath());
    try {
      tomcat.start();
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  private static void reactor(InetSocketAddress address, LoopResources loops) {
    reactor.netty.http.server.HttpServer server =
        reactor.netty.http.server.HttpServer.create()
            .host(address.getAddress().getHostAddress())
            .port(address.getPort())
            .handle(
                (request, response) -> response.sendString(reactor.core.publisher.Mono.just("")));
    if (loops != null) {
      server = server.runOn(loops, false);
    }
    DisposableServer bound = server.bindNow(Duration.ofSeconds(10));
    System.err.println("APP-NETTY-CHANNEL " + bound.channel().getClass().getName());
    bound.disposeNow(Duration.ofSeconds(5));
  }

  /** Every exception in {@code t}'s cause chain: {@code Type: message <- Type: message}. */
  private static String chain(Throwable t) {
    StringBuilder text = new StringBuilder();
    for (Throwable each = t; each != null; each = each.getCause()) {
      text.append(text.length() == 0 ? "" : " <- ")
          .append(each.getClass().getName())
          .append(": ")
          .append(each.getMessage());
      if (each.getCause() == each) {
        break;
      }
    }
    return text.toString();
  }
}
