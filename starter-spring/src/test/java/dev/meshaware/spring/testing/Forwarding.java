package dev.meshaware.spring.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.Map;

/** What a request at the downstream must carry, after an inbound request with {@link Inbound}. */
public final class Forwarding {
  private Forwarding() {}

  /**
   * Each of {@link Inbound#forwarded()} exactly once with its value, or with the value {@code
   * replaced} gives for it (a header the application set itself); none of {@link
   * Inbound#notForwarded()}.
   */
  public static void exactly(LoggedRequest received, String as, Map<String, String> replaced) {
    for (Map.Entry<String, String> header : Inbound.forwarded().entrySet()) {
      String name = header.getKey();
      assertThat(Downstream.values(received, name))
          .as(as + ": " + name)
          .containsExactly(replaced.getOrDefault(name, header.getValue()));
    }
    for (String name : Inbound.notForwarded().keySet()) {
      assertThat(Downstream.values(received, name)).as(as + ": " + name).isEmpty();
    }
  }

  /** {@link #exactly(LoggedRequest, String, Map)} with nothing replaced. */
  public static void exactly(LoggedRequest received, String as) {
    exactly(received, as, Map.of());
  }

  /** None of {@link Inbound#all()}. */
  public static void none(LoggedRequest received, String as) {
    for (String name : Inbound.all().keySet()) {
      assertThat(Downstream.values(received, name)).as(as + ": " + name).isEmpty();
    }
  }
}
