package dev.meshaware.spring.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.WebApplicationType;

/**
 * What a test request carries (a request id and the extra header derived from it, or nothing) and
 * the check that a call arrived downstream with exactly that.
 */
public final class Carried {
  private Carried() {}

  /** The inbound headers of a request with {@code requestId}; none when it is null. */
  public static Map<String, String> headers(String requestId) {
    return requestId == null
        ? Map.of()
        : Map.of("x-request-id", requestId, Inbound.EXTRA, "user-" + requestId);
  }

  /**
   * The one call that arrived at {@code path} carried exactly the headers of the request with
   * {@code requestId}, or, when it is null, none of the forwarded headers at all.
   */
  public static void check(Downstream downstream, String path, String requestId) throws Exception {
    LoggedRequest received = downstream.received(path);
    if (requestId == null) {
      for (String name : Inbound.forwardedNames()) {
        assertThat(Downstream.values(received, name)).as(path + " (no owner): " + name).isEmpty();
      }
    } else {
      assertThat(Downstream.values(received, "x-request-id"))
          .as(path + ": x-request-id")
          .containsExactly(requestId);
      assertThat(Downstream.values(received, Inbound.EXTRA))
          .as(path + ": " + Inbound.EXTRA)
          .containsExactly("user-" + requestId);
    }
  }

  /**
   * {@link #check} for every path of {@code owners}, whose value is a request id or "" for none.
   */
  public static void checkAll(Downstream downstream, Map<String, String> owners) throws Exception {
    for (Map.Entry<String, String> each : owners.entrySet()) {
      check(downstream, each.getKey(), each.getValue().isEmpty() ? null : each.getValue());
    }
  }

  /**
   * A real application calling {@code downstream} ({@code app.downstream}), forwarding the test's
   * extra header as well, with {@code settings} on top.
   */
  public static RunningApp start(
      WebApplicationType type, Class<?> source, Downstream downstream, String... settings) {
    List<String> all = new ArrayList<>();
    all.add("app.downstream=" + downstream.url());
    all.add("meshaware.propagation.extra-headers=" + Inbound.EXTRA);
    all.addAll(List.of(settings));
    return RunningApp.start(type, source, false, all.toArray(new String[0]));
  }

  /** Request {@code i} of a concurrent round, with {@code requestId} (null: no headers). */
  @FunctionalInterface
  public interface Request {
    /** Sends it; the path its call reached downstream. */
    String send(int i, String requestId) throws Exception;
  }

  /**
   * Sends {@code count} requests at once from {@code threads} threads, every third without headers,
   * then {@link #check}s each call.
   */
  public static void concurrently(Downstream downstream, int count, int threads, Request request)
      throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(threads);
    Map<String, String> owners = new ConcurrentHashMap<>();
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int each = i;
        String requestId = i % 3 == 2 ? null : "rid-concurrent-" + i;
        calls.add(
            senders.submit(
                () ->
                    owners.put(request.send(each, requestId), requestId == null ? "" : requestId)));
      }
      for (Future<?> call : calls) {
        call.get(60, TimeUnit.SECONDS);
      }
    } finally {
      senders.shutdownNow();
    }
    checkAll(downstream, owners);
  }
}
