package dev.meshaware.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://127.0.0.1:15020/healthz/ready",
        "127.0.0.1:15020",
        "http://",
        "http://user@host/",
        "not a url",
        "http://a/,",
        "ftp://host/"
      })
  void rejectsWhatItCannotProbe(String text) {
    assertThatThrownBy(() -> HttpEndpoint.parseList(text))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
