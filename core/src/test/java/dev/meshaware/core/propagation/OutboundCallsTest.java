package dev.meshaware.core.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboundCallsTest {
  private HeaderPolicy policy;

  @BeforeEach
  void installPolicy() {
    policy =
        HeaderPolicy.from(
            MeshawareSettings.load(
                ConfigSource.of(
                    Map.of("meshaware.propagation.exclude-hosts", "localhost"), Map.of())));
    Propagation.install(policy);
  }

  @AfterEach
  void uninstallPolicy() {
    Propagation.install(null);
  }

  private CurrentHeaders.Scope serving(String requestId) {
    String[] raw = new String[policy.nameCount()];
    raw[policy.indexOf("x-request-id")] = requestId;
    return Propagation.enterInbound(raw, "request " + requestId);
  }

  @Test
  void aCallCarriesTheRequestThatMadeItToEveryAllowedDestinationOnAnyThread() throws Exception {
    Object call = new Object();
    CurrentHeaders.Scope scope = serving("made-it");
    OutboundCalls.begin(call);
    Propagation.exitInbound(scope);

    CurrentHeaders.Scope other = serving("another");
    List<CapturedHeaders> seen = new ArrayList<>();
    Thread hop =
        new Thread(
            () -> {
              seen.add(OutboundCalls.forDestination(call, URI.create("http://127.0.0.1:8080/")));
              seen.add(OutboundCalls.forDestination(call, URI.create("http://localhost:8080/")));
              seen.add(OutboundCalls.forDestination(call, URI.create("http://my_host/")));
            });
    hop.start();
    hop.join();
    Propagation.exitInbound(other);

    assertThat(seen.get(0).get("x-request-id")).isEqualTo("made-it");
    assertThat(seen.get(1)).as("excluded").isNull();
    assertThat(seen.get(2)).as("unreadable").isNull();
  }

  @Test
  void aCallMadeOutsideAnyRequestCarriesNothingWhateverTheThreadHolds() {
    Object call = new Object();
    OutboundCalls.begin(call);
    CurrentHeaders.Scope scope = serving("thread's own");
    assertThat(OutboundCalls.forDestination(call, URI.create("http://127.0.0.1/"))).isNull();
    Propagation.exitInbound(scope);
  }

  @Test
  void tellsCallsApartByIdentityNotEquality() {
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    assertThat(first).isEqualTo(second);
    CurrentHeaders.Scope scope = serving("first");
    OutboundCalls.begin(first);
    Propagation.exitInbound(scope);
    assertThat(OutboundCalls.headers(first).get("x-request-id")).isEqualTo("first");
    assertThat(OutboundCalls.headers(second)).isNull();
  }

  @Test
  void forgetsACallOnceTheClientNoLongerHoldsIt() throws Exception {
    int before = OutboundCalls.size();
    CurrentHeaders.Scope scope = serving("gone");
    for (int i = 0; i < 1000; i++) {
      OutboundCalls.begin(new Object());
    }
    Propagation.exitInbound(scope);
    for (int i = 0; i < 100 && OutboundCalls.size() > before; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(OutboundCalls.size()).isLessThanOrEqualTo(before);
  }
}
