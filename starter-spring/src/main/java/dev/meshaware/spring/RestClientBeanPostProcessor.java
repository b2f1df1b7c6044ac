package dev.meshaware.spring;

import java.util.function.Supplier;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;

/**
 * Adds an interceptor to every {@code RestClient} bean, rebuilt through its own {@code mutate()}
 * (base URL, default headers, request factory, converters, observation and its own interceptors
 * kept), and to every {@code RestClient.Builder} bean the application defines, in place.
 */
public final class RestClientBeanPostProcessor extends ClientBeanPostProcessor {
  private final Class<? extends ClientHttpRequestInterceptor> type;
  private final Supplier<? extends ClientHttpRequestInterceptor> interceptor;

  /**
   * Adds {@code interceptor} (asked for at the first client that lacks one of {@code type}) at
   * {@code position}; see {@link ClientBeanPostProcessor} for the other arguments.
   */
  public RestClientBeanPostProcessor(
      String feature,
      String withoutIt,
      Position position,
      Class<? extends ClientHttpRequestInterceptor> type,
      Supplier<? extends ClientHttpRequestInterceptor> interceptor) {
    super(feature, withoutIt, position);
    this.type = type;
    this.interceptor = interceptor;
  }

  @Override
  protected boolean accepts(Object bean) {
    return bean instanceof RestClient || bean instanceof RestClient.Builder;
  }

  @Override
  protected Object withHook(Object client) {
    if (client instanceof RestClient.Builder) {
      ((RestClient.Builder) client).requestInterceptors(list -> addOnce(list, type, interceptor));
      return client;
    }
    RestClient.Builder builder = ((RestClient) client).mutate();
    boolean[] added = {false};
    builder.requestInterceptors(list -> added[0] = addOnce(list, type, interceptor));
    return added[0] ? sameClass(client, builder.build()) : client;
  }
}
