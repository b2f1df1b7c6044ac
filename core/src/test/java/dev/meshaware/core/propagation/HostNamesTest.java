package dev.meshaware.core.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostNamesTest {

  @ParameterizedTest(name = "{0} reads as {1}")
  @CsvSource({
    "api.example.com, api.example.com",
    "Api.EXAMPLE.com, api.example.com",
    "api.example.com., api.example.com",
    "localhost, localhost",
    "reviews, reviews",
    "127.0.0.2, 127.0.0.2",
    "xn--bcher-kva.example, xn--bcher-kva.example"
  })
  void readsNamesInLowerCaseWithoutTheTrailingDot(String host, String expected) {
    assertThat(HostNames.normalize(host)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} reads as ::1")
  @ValueSource(
      strings = {"::1", "[::1]", "0:0:0:0:0:0:0:1", "[0000:0000::0001]", "::0:1", "[::1%lo]"})
  void readsEveryWayOfWritingAnIpv6AddressAsOne(String host) {
    assertThat(HostNames.normalize(host)).isEqualTo("::1");
  }

  @ParameterizedTest(name = "{0} reads as {1}")
  @CsvSource({
    "2001:DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "[2001:db8:0:0:0:0:2:1], 2001:db8::2:1",
    "2001:db8::, 2001:db8::",
    "fe80::1%25eth0, fe80::1",
    "1:0:0:2:0:0:0:3, 1:0:0:2::3",
    "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
    "1:0:3:4:5:6:7:8, 1:0:3:4:5:6:7:8",
    "::ffff:127.0.0.2, 127.0.0.2",
    "[::FFFF:7f00:2], 127.0.0.2"
  })
  void writesIpv6AddressesInTheirShortestForm(String host, String expected) {
    assertThat(HostNames.normalize(host)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "''{0}'' cannot be read")
  @ValueSource(
      strings = {
        "",
        "my_service",
        "my_service.default.svc",
        "api.example..com",
        ".example.com",
        "example.com..",
        "b\u00fccher.example",
        "exa mple.com",
        "%65xample.com",
        "127.1",
        "0x7f.0.0.1",
        "010.0.0.1",
        "127.0.0.256",
        "2130706433",
        "host.123",
        "[::1",
        "[]",
        "[example.com]",
        "1:2",
        "example.com:80",
        ":::1",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "12345::1",
        "::1:",
        "\uff11::1"
      })
  void cannotReadWhatParsersReadDifferently(String host) {
    assertThat(HostNames.normalize(host)).isNull();
  }

  @Test
  void cannotReadNoHost() {
    assertThat(HostNames.normalize(null)).isNull();
  }

  @Test
  void cannotReadAHostOverTheDnsLimits() {
    assertThat(HostNames.normalize("a".repeat(64) + ".example")).isNull();
    assertThat(HostNames.normalize("a".repeat(63) + ".example")).isNotNull();
    assertThat(HostNames.normalize(("a".repeat(60) + ".").repeat(5))).isNull();
  }

  @Test
  void takesTheSchemesPortWhenTheUriHasNone() {
    assertThat(HostNames.port(URI.create("http://a/"))).isEqualTo(80);
    assertThat(HostNames.port(URI.create("HTTPS://a/"))).isEqualTo(443);
    assertThat(HostNames.port(URI.create("wss://a/"))).isEqualTo(443);
    assertThat(HostNames.port(URI.create("http://a:8080/"))).isEqualTo(8080);
    assertThat(HostNames.port(URI.create("ftp://a/"))).isEqualTo(-1);
    assertThat(HostNames.port(URI.create("/relative"))).isEqualTo(-1);
  }
}
