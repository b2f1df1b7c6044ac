package dev.meshaware.core.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SubscriberContextTest {
  private HeaderPolicy policy;
  private CapturedHeaders captured;

  @BeforeEach
  void installPolicy() {
    policy =
        HeaderPolicy.from(
            MeshawareSettings.load(
                ConfigSource.of(
                    Map.of("meshaware.propagation.exclude-hosts", "*.external.example"),
                    Map.of())));
    Propagation.install(policy);
    String[] raw = new String[policy.nameCount()];
    raw[policy.names().indexOf("x-request-id")] = "req-1";
    captured = policy.capture(raw);
  }

  @AfterEach
  void uninstallPolicy() {
    Propagation.install(null);
  }

  @Test
  void carriesTheCapturedHeadersToAnAllowedHost() {
    Object value = SubscriberContext.valueFor(captured);
    assertThat(SubscriberContext.outbound(value, "orders.default.svc.cluster.local"))
        .isSameAs(captured);
  }

  @Test
  void marksARequestWithoutHeadersSoThatNothingIsForwarded() {
    Object value = SubscriberContext.valueFor(null);
    assertThat(value).isNotNull().isNotInstanceOf(CapturedHeaders.class);
    assertThat(SubscriberContext.outbound(value, "orders")).isNull();
  }

  @Test
  void forwardsNothingWithoutAnEntryToAnExcludedHostOrWhenPropagationIsOff() {
    assertThat(SubscriberContext.outbound(null, "orders")).isNull();
    assertThat(SubscriberContext.outbound(captured, "api.external.example")).isNull();
    Propagation.install(null);
    assertThat(SubscriberContext.outbound(captured, "orders")).isNull();
  }
}
