package dev.meshaware.examples.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Stands in for one pod's istio-proxy status port: {@code /healthz/ready} answers 503 until the
 * proxy is "ready", then 200, as pilot-agent does.
 */
final class SimulatedSidecar {
  private final HttpServer server;

  private SimulatedSidecar(HttpServer server) {
    this.server = server;
  }

  static SimulatedSidecar start(String pod, Duration readyAfter, Narrator say) throws IOException {
    long readyAt = System.nanoTime() + readyAfter.toNanos();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    boolean[] announced = {false};
    server.createContext(
        "/healthz/ready",
        exchange -> {
          boolean ready = System.nanoTime() >= readyAt;
          if (ready && !announced[0]) {
            announced[0] = true;
            say.from(pod, "(sidecar) ready");
          }
          exchange.sendResponseHeaders(ready ? 200 : 503, -1);
          exchange.close();
        });
    server.start();
    say.from(pod, "(sidecar) starting; ready in " + readyAfter.toMillis() + " ms");
    return new SimulatedSidecar(server);
  }

  String readyUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/healthz/ready";
  }

  /**
   * The pod's downward-API annotations file as Istio's injector leaves it for a sidecar container
   * (istio-proxy under "containers"): the gate reads the mesh mode from it.
   */
  Path annotationsFile() throws IOException {
    Path file = Files.createTempFile("meshaware-demo-annotations", "");
    file.toFile().deleteOnExit();
    return Files.writeString(
        file,
        "sidecar.istio.io/status=\"{\\\"initContainers\\\":[\\\"istio-init\\\"],"
            + "\\\"containers\\\":[\\\"istio-proxy\\\"],\\\"revision\\\":\\\"default\\\"}\"\n");
  }
}
