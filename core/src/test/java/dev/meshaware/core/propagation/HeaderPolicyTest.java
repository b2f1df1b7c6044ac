package dev.meshaware.core.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.CapturedLog;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderPolicyTest {

  private static HeaderPolicy policy(String... keyValues) {
    Map<String, String> properties = new java.util.HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.put(keyValues[i], keyValues[i + 1]);
    }
    return HeaderPolicy.from(MeshawareSettings.load(ConfigSource.of(properties, Map.of())));
  }

  private static String[] raw(HeaderPolicy policy, String... nameValues) {
    String[] raw = new String[policy.nameCount()];
    for (int i = 0; i < nameValues.length; i += 2) {
      raw[policy.names().indexOf(nameValues[i])] = nameValues[i + 1];
    }
    return raw;
  }

  @Test
  void readsIstiosHeaderListByDefault() {
    assertThat(policy().names())
        .contains(
            "x-request-id",
            "x-b3-traceid",
            "x-b3-spanid",
            "x-b3-parentspanid",
            "x-b3-sampled",
            "x-b3-flags",
            "b3",
            "traceparent",
            "tracestate",
            "x-ot-span-context",
            "x-cloud-trace-context",
            "grpc-trace-bin",
            "x-datadog-trace-id",
            "x-datadog-parent-id",
            "x-datadog-sampling-priority",
            "sw8")
        .doesNotContain("authorization", "cookie", "end-user");
  }

  @Test
  void keepsValuesByteExact() {
    HeaderPolicy policy = policy();
    String requestId = "6a1e5b7c-2f3d-4e8a-9b0c-0123456789ab";
    CapturedHeaders captured =
        policy.capture(raw(policy, "x-request-id", requestId, "b3", " a-b-1 "));
    assertThat(captured.get("X-Request-Id")).isEqualTo(requestId);
    assertThat(captured.get("b3")).isEqualTo(" a-b-1 ");
  }

  @Test
  void capturesNothingFromARequestWithoutTheHeaders() {
    HeaderPolicy policy = policy();
    assertThat(policy.capture(raw(policy))).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a\r\nx-evil: 1", "a\nb", "a\u0000b", "a\tb", "caf\u00e9", "\u007f"})
  void neverForwardsEmptyOrControlOrNonAsciiValues(String bad) {
    HeaderPolicy policy = policy();
    CapturedHeaders captured =
        policy.capture(raw(policy, "x-b3-parentspanid", bad, "x-request-id", "ok"));
    assertThat(captured.get("x-b3-parentspanid")).isNull();
    assertThat(captured.get("x-request-id")).isEqualTo("ok");
  }

  @Test
  void dropsValuesOverTheCapsWithoutTruncating() {
    HeaderPolicy policy = policy();
    String tracestate512 = "v".repeat(512);
    String tooLong = "x".repeat(HeaderPolicy.MAX_VALUE_LENGTH + 1);
    CapturedHeaders captured =
        policy.capture(raw(policy, "tracestate", tracestate512, "x-ot-span-context", tooLong));
    assertThat(captured.get("tracestate")).isEqualTo(tracestate512);
    assertThat(captured.get("x-ot-span-context")).isNull();

    String big = "y".repeat(HeaderPolicy.MAX_VALUE_LENGTH);
    CapturedHeaders capped =
        policy.capture(raw(policy, "x-request-id", "id", "b3", big, "sw8", big));
    assertThat(capped.get("x-request-id")).isEqualTo("id");
    assertThat(capped.get("b3")).isEqualTo(big);
    assertThat(capped.get("sw8")).as("over the total cap").isNull();
  }

  @Test
  void forwardsExtraHeadersAndCredentialsOnlyWhenNamed() {
    HeaderPolicy policy =
        policy("meshaware.propagation.extra-headers", "End-User, authorization,x-tenant");
    assertThat(policy.names()).contains("end-user", "authorization", "x-tenant");
    CapturedHeaders captured =
        policy.capture(raw(policy, "end-user", "jason", "authorization", "Bearer t"));
    assertThat(captured.get("end-user")).isEqualTo("jason");
    assertThat(captured.get("authorization")).isEqualTo("Bearer t");
  }

  @Test
  void refusesHeadersThatAreNeverForwardedEvenWhenNamed() {
    try (CapturedLog log = new CapturedLog()) {
      HeaderPolicy policy =
          policy(
              "meshaware.propagation.extra-headers",
              "x-envoy-retry-on,x-forwarded-client-cert,connection,transfer-encoding,end-user");
      assertThat(policy.names())
          .contains("end-user")
          .doesNotContain(
              "x-envoy-retry-on", "x-forwarded-client-cert", "connection", "transfer-encoding");
      assertThat(log.lines()).hasSize(4);
      assertThat(log.lines())
          .allSatisfy(
              line ->
                  assertThat(line)
                      .startsWith("[meshaware] WARNING meshaware.propagation.extra-headers names")
                      .contains("never forwarded because"));
    }
  }

  @Test
  void rejectsExtraHeaderNamesThatAreNotTokens() {
    try (CapturedLog log = new CapturedLog()) {
      HeaderPolicy policy = policy("meshaware.propagation.extra-headers", "end user");
      assertThat(policy.names()).doesNotContain("end user", "end-user");
      assertThat(log.lines().get(0))
          .contains("meshaware.propagation.extra-headers='end user'", "accepted: ");
    }
  }

  @Test
  void findsNamesInAnyCaseWithoutConfusingOthers() {
    HeaderPolicy policy = policy("meshaware.propagation.extra-headers", "end-user");
    for (int i = 0; i < policy.nameCount(); i++) {
      String name = policy.name(i);
      assertThat(policy.indexOf(name)).isEqualTo(i);
      assertThat(policy.indexOf(name.toUpperCase(java.util.Locale.ROOT))).isEqualTo(i);
      assertThat(policy.indexOf(Character.toUpperCase(name.charAt(0)) + name.substring(1)))
          .isEqualTo(i);
    }
    assertThat(policy.indexOf("x-request-ids")).isEqualTo(-1);
    assertThat(policy.indexOf("Host")).isEqualTo(-1);
    assertThat(policy.indexOf("")).isEqualTo(-1);
  }

  @Test
  void excludesHostsByNameAndSuffix() {
    HeaderPolicy policy =
        policy("meshaware.propagation.exclude-hosts", "*.googleapis.com, API.stripe.com");
    assertThat(policy.forwardsTo("storage.googleapis.com")).isFalse();
    assertThat(policy.forwardsTo("a.b.googleapis.com.")).isFalse();
    assertThat(policy.forwardsTo("googleapis.com")).isTrue();
    assertThat(policy.forwardsTo("api.stripe.com")).isFalse();
    assertThat(policy.forwardsTo("reviews.default.svc.cluster.local")).isTrue();
    assertThat(policy.forwardsTo((String) null))
        .as("unreadable while exclusions are set")
        .isFalse();
    assertThat(policy.forwardsTo(java.net.URI.create("http://my_service/"))).isFalse();
    assertThat(policy().forwardsTo(java.net.URI.create("http://my_service/"))).isTrue();
  }

  @Test
  void warnsAtStartAboutEachExcludedHostPatternThatCanNeverMatch() {
    try (CapturedLog log = new CapturedLog()) {
      HeaderPolicy policy =
          policy(
              "meshaware.propagation.exclude-hosts",
              "https://api.stripe.com/v1, *.googleapis.com, api.example.com:99999");
      assertThat(policy.forwardsTo("storage.googleapis.com")).isFalse();
      assertThat(policy.excludedHosts()).hasToString("*.googleapis.com");
      assertThat(log.lines())
          .containsExactly(
              "[meshaware] WARNING meshaware.propagation.exclude-hosts: 'https://api.stripe.com/v1'"
                  + " is a URL, not a host: write the host alone, e.g. api.example.com; ignoring"
                  + " it (accepted: "
                  + HostGlobs.ACCEPTED_FORM
                  + ")",
              "[meshaware] WARNING meshaware.propagation.exclude-hosts: 'api.example.com:99999'"
                  + " has no port from 1 to 65535 after its ':'; ignoring it (accepted: "
                  + HostGlobs.ACCEPTED_FORM
                  + ")");
    }
  }

  @Test
  void showsTheExcludedHostsItApplies() {
    HeaderPolicy policy =
        policy("meshaware.propagation.exclude-hosts", "*.GoogleApis.com, api.stripe.com");

    assertThat(policy.excludedHosts().toString()).isEqualTo("api.stripe.com,*.googleapis.com");
    assertThat(policy().excludedHosts().toString()).isEmpty();
  }
}
