package dev.meshaware.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshaware.core.log.CapturedLog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpEndpointTest {

  @Test
  void readsHostPortAndPath() {
    HttpEndpoint endpoint = HttpEndpoint.parse("http://127.0.0.1:15020/healthz/ready");
    assertThat(endpoint.host()).isEqualTo("127.0.0.1");
    assertThat(endpoint.port()).isEqualTo(15020);
    assertThat(endpoint.pathAndQuery()).isEqualTo("/healthz/ready");
    assertThat(endpoint.hostHeader()).isEqualTo("127.0.0.1:15020");
  }

  @Test
  void defaultsPortAndPathAndKeepsQuery() {
    HttpEndpoint endpoint = HttpEndpoint.parse("http://localhost?probe=1");
    assertThat(endpoint.port()).isEqualTo(80);
    assertThat(endpoint.pathAndQuery()).isEqualTo("/?probe=1");
    assertThat(endpoint.hostHeader()).isEqualTo("localhost");
  }

  @Test
  void readsIpv6Literals() {
    HttpEndpoint endpoint = HttpEndpoint.parse("http://[::1]:15021/healthz/ready");
    assertThat(endpoint.host()).isEqualTo("::1");
    assertThat(endpoint.hostHeader()).isEqualTo("[::1]:15021");
  }

  @Test
  void readsCommaSeparatedLists() {
    List<HttpEndpoint> endpoints =
        HttpEndpoint.parseList("http://127.0.0.1:15020/healthz/ready, http://127.0.0.1:15021/x");
    assertThat(endpoints).extracting(HttpEndpoint::port).containsExactly(15020, 15021);
  }

  @Test
  void readsAnIpAddressWithoutDnsAndLeavesANameToBeResolved() {
    assertThat(HttpEndpoint.parse("http://127.0.0.1:15020/").literalAddress().getHostAddress())
        .isEqualTo("127.0.0.1");
    assertThat(HttpEndpoint.parse("http://[::1]:15020/").literalAddress().isLoopbackAddress())
        .isTrue();
    HttpEndpoint named = HttpEndpoint.parse("http://istio-proxy.local.:15020/");
    assertThat(named.literalAddress()).isNull();
    assertThat(named.host()).isEqualTo("istio-proxy.local.");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "https://127.0.0.1:15020/ | scheme 'https' is not supported: only http://",
        "127.0.0.1:15020/ready | does not start with http://: write it as http://host:port/path",
        "http:sidecar | does not start with http://",
        "http:///healthz/ready | no host",
        "http://sidecar:0/ | port 0 is out of range 1 to 65535",
        "http://sidecar:70000/ | port 70000 is out of range 1 to 65535",
        "http://sidecar:15o20/ | port ':15o20' is not a number from 1 to 65535",
        "http://side_car/ | host 'side_car' is neither an IPv4 address nor a host name",
        "http://127.1/ | host '127.1' is not an IPv4 address (four numbers from 0 to 255)",
        "http://[::g]/ | not a URL (Expected hex digits",
        "http://u:p@sidecar/ | user information (user@) is not allowed",
        "http://sidecar/#x | a fragment (#...) is not allowed",
        "http://sidecar/a b | not a URL (Illegal character in path at index 16)"
      })
  void saysWhatIsWrongWithABadUrl(String text, String reason) {
    assertThatThrownBy(() -> HttpEndpoint.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(reason);
  }

  @Test
  void namesTheBadEntryOfAList() {
    assertThatThrownBy(() -> HttpEndpoint.parseList("http://127.0.0.1:15020/, https://x/"))
        .hasMessageStartingWith("entry 2 of 2: scheme 'https' is not supported");
  }

  @Test
  void aBadUrlInTheSettingsNamesTheKeyAndTheAcceptedForm() {
    try (CapturedLog log = new CapturedLog()) {
      MeshawareSettings settings =
          MeshawareSettings.load(
              ConfigSource.of(
                  Map.of("meshaware.shutdown.quit-url", "http://proxy:99999/q"), Map.of()));
      assertThat(settings.get(MeshawareKeys.SHUTDOWN_QUIT_URL).port())
          .as("the default")
          .isEqualTo(15020);
      assertThat(log.lines())
          .singleElement()
          .asString()
          .startsWith("[meshaware] WARNING meshaware.shutdown.quit-url='http://proxy:99999/q'")
          .contains("port 99999 is out of range 1 to 65535")
          .contains(
              "accepted: http://host:port/path (http only; host a name, an IPv4 address or"
                  + " [IPv6]; port 1 to 65535)");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://127.0.0.1:15020/healthz/ready",
        "127.0.0.1:15020",
        "http://",
        "http://user@host/",
        "not a url",
        "http://a/,",
        "ftp://host/",
        "http://sidecar:0/",
        "http://sidecar:65536/",
        "http://sidecar:port/",
        "http://side_car:15020/",
        "http://127.1:15020/",
        "http://256.0.0.1/",
        "http://[::1/",
        "http://[nothex]/",
        "http://-sidecar/",
        "http://sidecar/#ready",
        "http:sidecar"
      })
  void rejectsWhatItCannotProbe(String text) {
    assertThatThrownBy(() -> HttpEndpoint.parseList(text))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
