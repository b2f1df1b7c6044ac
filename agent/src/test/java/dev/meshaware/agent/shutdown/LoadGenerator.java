package dev.meshaware.agent.shutdown;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends requests steadily to one service on loopback, as the other pods' sidecars do until they
 * learn that it is going away, and counts what came back 200 and what did not.
 */
final class LoadGenerator implements AutoCloseable {
  private static final int SENDERS = 4;
  private static final Duration PAUSE = Duration.ofMillis(10);

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();
  private final URI uri;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger succeeded = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final List<Thread> senders = new ArrayList<>();

  LoadGenerator(int port) {
    this.uri = URI.create("http://127.0.0.1:" + port + "/");
    for (int i = 0; i < SENDERS; i++) {
      Thread sender = new Thread(this::send, "load-" + i);
      sender.setDaemon(true);
      senders.add(sender);
      sender.start();
    }
  }

  private void send() {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
    while (running.get()) {
      try {
        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        (status == 200 ? succeeded : failed).incrementAndGet();
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        failed.incrementAndGet();
      }
      try {
        Thread.sleep(PAUSE.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  int succeeded() {
    return succeeded.get();
  }

  int failed() {
    return failed.get();
  }

  /** Stops sending and waits for the requests under way. */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread sender : senders) {
      sender.join(5000);
    }
  }
}
