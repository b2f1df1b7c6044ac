package dev.meshaware.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlTextTest {

  @Test
  void dropsQueryFragmentAndCredentials() {
    assertThat(UrlText.printable("http://reviews:9080/reviews/1?user=jason&token=x#frag"))
        .isEqualTo("http://reviews:9080/reviews/1");
    assertThat(UrlText.printable("https://alice:pw@api.example.com/v1?k=1"))
        .isEqualTo("https://api.example.com/v1");
    assertThat(UrlText.printable("http://h/a@b")).isEqualTo("http://h/a@b");
    assertThat(UrlText.printable("http://h/x\r\nforged")).isEqualTo("http://h/x  forged");
    assertThat(UrlText.printable(null)).isEmpty();
  }

  @Test
  void readsTheHost() {
    assertThat(UrlText.host("http://Reviews.default.svc.cluster.local:9080/x"))
        .isEqualTo("reviews.default.svc.cluster.local");
    assertThat(UrlText.host("http://user:pw@ratings/x")).isEqualTo("ratings");
    assertThat(UrlText.host("http://[::1]:8080/x")).isEqualTo("[::1]");
    assertThat(UrlText.host("http://10.0.0.7?x=1")).isEqualTo("10.0.0.7");
    assertThat(UrlText.host("/relative")).isEqualTo(UrlText.UNKNOWN_HOST);
    assertThat(UrlText.host(null)).isEqualTo(UrlText.UNKNOWN_HOST);
  }
}
