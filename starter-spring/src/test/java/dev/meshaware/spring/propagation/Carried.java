package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Inbound;
import java.util.Map;

/**
 * What a test request carries (a request id and the extra header derived from it, or nothing) and
 * the check that a call arrived downstream with exactly that.
 */
final class Carried {
  private Carried() {}

  /** The inbound headers of a request with {@code requestId}; none when it is null. */
  static Map<String, String> headers(String requestId) {
    return requestId == null
        ? Map.of()
        : Map.of("x-request-id", requestId, Inbound.EXTRA, "user-" + requestId);
  }

  /**
   * The one call that arrived at {@code path} carried exactly the headers of the request with
   * {@code requestId}, or, when it is null, none of the forwarded headers at all.
   */
  static void check(Downstream downstream, String path, String requestId) throws Exception {
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
}
