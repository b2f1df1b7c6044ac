package dev.meshaware.core.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostGlobsTest {

  @Test
  void matchesNamesAndSuffixesInAnyCaseWithOrWithoutTheTrailingDot() {
    HostGlobs globs = HostGlobs.parse("*.googleapis.com, API.stripe.com.");
    assertThat(globs.matches("storage.googleapis.com")).isTrue();
    assertThat(globs.matches("A.B.GoogleApis.com.")).isTrue();
    assertThat(globs.matches("googleapis.com")).isFalse();
    assertThat(globs.matches("api.stripe.com")).isTrue();
    assertThat(globs.matches("API.STRIPE.COM.")).isTrue();
    assertThat(globs.matches("api.stripe.com.evil.example")).isFalse();
    assertThat(globs.matches("reviews.default.svc.cluster.local")).isFalse();
    assertThat(globs.problems()).isEmpty();
  }

  @Test
  void matchesAnIpv6AddressHoweverEitherSideWritesIt() {
    for (String pattern : new String[] {"::1", "[::1]", "0:0:0:0:0:0:0:1"}) {
      HostGlobs globs = HostGlobs.parse(pattern);
      assertThat(globs.matches("::1")).as(pattern).isTrue();
      assertThat(globs.matches("[::1]")).as(pattern).isTrue();
      assertThat(globs.matches("[0:0::1]")).as(pattern).isTrue();
      assertThat(globs.matches(URI.create("http://[::1]:8080/x"))).as(pattern).isTrue();
      assertThat(globs.matches("::2")).as(pattern).isFalse();
    }
  }

  @Test
  void matchesAnIpv4AddressAlsoWhenMappedIntoIpv6() {
    HostGlobs globs = HostGlobs.parse("127.0.0.2");
    assertThat(globs.matches("127.0.0.2")).isTrue();
    assertThat(globs.matches("[::ffff:127.0.0.2]")).isTrue();
    assertThat(globs.matches("127.0.0.1")).isFalse();
  }

  @Test
  void aPatternWithAPortMatchesOnlyCallsToThatPort() {
    HostGlobs globs = HostGlobs.parse("api.example.com:8443, [::1]:9000, *.internal.example:80");
    assertThat(globs.matches("api.example.com", 8443)).isTrue();
    assertThat(globs.matches("api.example.com", 443)).isFalse();
    assertThat(globs.matches("::1", 9000)).isTrue();
    assertThat(globs.matches("[::1]", 9001)).isFalse();
    assertThat(globs.matches(URI.create("http://a.internal.example/"))).isTrue();
    assertThat(globs.matches(URI.create("https://a.internal.example/"))).isFalse();
    assertThat(globs.matches(URI.create("https://api.example.com:8443/"))).isTrue();
    assertThat(globs.problems()).isEmpty();
    assertThat(globs).hasToString("api.example.com:8443,[::1]:9000,*.internal.example:80");
  }

  @Test
  void aPatternWithAPortMatchesACallWhosePortIsUnknown() {
    assertThat(HostGlobs.parse("api.example.com:8443").matches("api.example.com", -1)).isTrue();
    assertThat(HostGlobs.parse("api.example.com:8443").matches("api.example.com")).isTrue();
  }

  @Test
  void anUnreadableHostIsExcludedWhileTheListIsSet() {
    HostGlobs globs = HostGlobs.parse("api.stripe.com");
    assertThat(globs.matches("my_service")).isTrue();
    assertThat(globs.matches((String) null)).isTrue();
    assertThat(globs.matches("")).isTrue();
    assertThat(globs.matches("127.1")).isTrue();
    URI underscore = URI.create("http://my_service:8080/orders");
    assertThat(underscore.getHost()).as("java.net.URI reads no host here").isNull();
    assertThat(globs.matches(underscore)).isTrue();
    assertThat(globs.matches((URI) null)).isTrue();
  }

  @Test
  void anUnreadableHostIsExcludedEvenWhenNoEntryOfTheListWasUsable() {
    HostGlobs globs = HostGlobs.parse("https://api.stripe.com/v1");
    assertThat(globs.isEmpty()).isTrue();
    assertThat(globs.matches("my_service")).isTrue();
    assertThat(globs.matches("api.stripe.com")).isFalse();
  }

  @Test
  void withoutTheListNothingIsExcluded() {
    HostGlobs globs = HostGlobs.parse(" ");
    assertThat(globs.matches("my_service")).isFalse();
    assertThat(globs.matches((String) null)).isFalse();
    assertThat(globs.matches(URI.create("http://my_service/"))).isFalse();
    assertThat(globs.problems()).isEmpty();
    assertThat(globs.isConfigured()).isFalse();
  }

  @Test
  void aLoneStarMatchesEveryHostEvenAnUnreadableOne() {
    HostGlobs globs = HostGlobs.parse("*");
    assertThat(globs.matches("anything.example")).isTrue();
    assertThat(globs.matches("::1")).isTrue();
  }

  @ParameterizedTest(name = "''{0}'' is left out: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://api.stripe.com/v1 | is a URL, not a host: write the host alone",
        "api.stripe.com/v1 | is a URL, not a host",
        "user@api.stripe.com | is a URL, not a host",
        "api.*.com | has a '*' that never matches",
        "*api.stripe.com | has a '*' that never matches",
        "**.example.com | has a '*' that never matches",
        "*. | is not a host name or IP address",
        ".example.com | starts with a dot: write *.example.com to match its subdomains",
        "api.example.com:0 | has no port from 1 to 65535 after its ':'",
        "api.example.com:65536 | has no port from 1 to 65535",
        "api.example.com:https | has no port from 1 to 65535",
        "api.example.com: | has no port from 1 to 65535",
        "[::1 | is not an IPv6 address in brackets: write [::1] or [::1]:8080",
        "[::1]8080 | is not an IPv6 address in brackets",
        "::1]:80 | is not an IPv6 address in brackets",
        "my_service | has a '_', which no host name has",
        "exa mple.com | is not a host name or IP address",
        "127.1 | is not a host name or IP address",
        "*.127.0.0.1 | puts '*.' before an IP address",
        "1:2:3 | is not a host name or IP address"
      })
  void leavesOutAnEntryThatCouldNeverMatchAndSaysWhy(String entry, String reason) {
    HostGlobs globs = HostGlobs.parse("api.ok.example," + entry);
    assertThat(globs.problems()).hasSize(1);
    assertThat(globs.problems().get(0)).startsWith("'" + entry + "' " + reason);
    assertThat(globs.matches("api.ok.example")).as("the usable entry still applies").isTrue();
    assertThat(globs).hasToString("api.ok.example");
  }

  @Test
  void anEmptyEntryIsReported() {
    HostGlobs globs = HostGlobs.parse("a.example,,b.example,");
    assertThat(globs.problems())
        .containsExactly(
            "an empty entry (two commas in a row, or one at an end) names no host",
            "an empty entry (two commas in a row, or one at an end) names no host");
    assertThat(globs).hasToString("a.example,b.example");
  }

  @Test
  void showsUsablePatternsInCanonicalForm() {
    assertThat(HostGlobs.parse("*, *.GoogleApis.com, API.stripe.com., [0:0::1], 127.0.0.2:81"))
        .hasToString("api.stripe.com,::1,127.0.0.2:81,*.googleapis.com,*");
  }

  @Test
  void listsReadTheSameAreEqual() {
    assertThat(HostGlobs.parse("A.example, [::1]")).isEqualTo(HostGlobs.parse("a.example,::1"));
    assertThat(HostGlobs.parse("")).isNotEqualTo(HostGlobs.parse("bad_host"));
  }
}
