package dev.meshaware.examples.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Service B reports every value of each trace header it received, in a fixed order. */
@MicronautTest
@Property(name = "example.role", value = "backend")
class EchoControllerTest {
  @Inject
  @Client("/")
  HttpClient client;

  @Test
  void reportsEachValueOfEachHeaderItReceived() {
    String line =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.GET("/echo?via=test")
                    .header("x-request-id", "r-1")
                    .header("b3", "80f198ee56343ba8-e457b5a2e4d86bd1-1")
                    .header("end-user", "jason"),
                String.class);

    assertThat(line)
        .isEqualTo(
            "via=test x-request-id=[r-1] x-b3-traceid=[] x-b3-spanid=[] x-b3-sampled=[]"
                + " b3=[80f198ee56343ba8-e457b5a2e4d86bd1-1] traceparent=[] tracestate=[]"
                + " end-user=[jason]");
  }

  @Test
  void answersOnlyOnceTheSecondHeldCallArrived() {
    var first = client.exchange(HttpRequest.GET("/echo?via=one&hold=k"), String.class);
    var firstBody = reactor.core.publisher.Mono.from(first).toFuture();
    String second =
        client.toBlocking().retrieve(HttpRequest.GET("/echo?via=two&hold=k"), String.class);

    assertThat(second).startsWith("via=two ");
    assertThat(firstBody.join().body()).startsWith("via=one ");
  }
}
