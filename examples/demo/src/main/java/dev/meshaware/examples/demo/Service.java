package dev.meshaware.examples.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** One service of the demo in its own JVM, in a "pod" whose sidecar is simulated. */
final class Service {
  private final String name;
  private final int port;
  private final Process process;

  private Service(String name, int port, Process process) {
    this.name = name;
    this.port = port;
    this.process = process;
  }

  static Service start(
      String name,
      int port,
      List<String> command,
      SimulatedSidecar sidecar,
      Map<String, String> env,
      Narrator say)
      throws IOException {
    return start(name, port, command, sidecar, env, say, line -> {});
  }

  /** As above; {@code lines} also gets every line the service prints, on its output thread. */
  static Service start(
      String name,
      int port,
      List<String> command,
      SimulatedSidecar sidecar,
      Map<String, String> env,
      Narrator say,
      Consumer<String> lines)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder
        .environment()
        .keySet()
        .removeIf(n -> n.startsWith("MESHAWARE_") || n.startsWith("KUBERNETES_"));
    if (sidecar != null) {
      // As in a pod: Kubernetes is there (its API "Service" on loopback), the injector's
      // annotations are mounted, and the sidecar's status port is where it says.
      builder.environment().put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
      builder.environment().put("MESHAWARE_STARTUP_READY_URL", sidecar.readyUrl());
      builder
          .environment()
          .put("MESHAWARE_STARTUP_POD_ANNOTATIONS_FILE", sidecar.annotationsFile().toString());
    }
    builder.environment().putAll(env);
    Process process = builder.start();
    say.from(name, "(process started)");
    Thread echo =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  lines.accept(line);
                  int at = line.indexOf("[meshaware]");
                  if (at >= 0) {
                    say.from(name, line.substring(at));
                  } else if (line.contains(" listening on ") || line.contains("Exception")) {
                    say.from(name, line);
                  }
                }
              } catch (IOException ignored) {
                // the service is gone
              }
            },
            name + "-output");
    echo.setDaemon(true);
    echo.start();
    return new Service(name, port, process);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  void awaitListening(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IllegalStateException(name + " exited with " + process.exitValue());
        }
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException(name + " did not start listening in time");
  }

  /** SIGTERM, as the kubelet sends it (through the handle, which keeps the output open). */
  void terminate() {
    process.toHandle().destroy();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  void awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
    }
  }

  void kill() {
    process.destroyForcibly();
  }
}
