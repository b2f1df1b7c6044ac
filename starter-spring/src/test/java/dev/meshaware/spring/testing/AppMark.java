package dev.meshaware.spring.testing;

import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

/**
 * An application's own client interceptor (or, through {@link #filter}, {@code WebClient} filter):
 * marks each call with {@link #HEADER} and its client's name and, on a path containing {@code own},
 * sets {@code x-b3-sampled: 0} itself, replacing any value already there.
 */
public final class AppMark implements ClientHttpRequestInterceptor {
  public static final String HEADER = "x-app-interceptor";

  private final String name;

  public AppMark(String name) {
    this.name = name;
  }

  @Override
  public ClientHttpResponse intercept(
      HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
    mark(name, request.getURI().getPath(), request.getHeaders());
    return execution.execute(request, body);
  }

  /** The same as a {@code WebClient} filter. */
  public static ExchangeFilterFunction filter(String name) {
    return (request, next) ->
        next.exchange(
            ClientRequest.from(request)
                .headers(headers -> mark(name, request.url().getPath(), headers))
                .build());
  }

  private static void mark(String name, String path, HttpHeaders headers) {
    headers.set(HEADER, name);
    if (path.startsWith("/own-")) {
      headers.set("x-b3-sampled", "0");
    }
  }
}
