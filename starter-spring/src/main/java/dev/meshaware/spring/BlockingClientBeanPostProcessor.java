package dev.meshaware.spring;

import java.util.function.Supplier;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Adds an interceptor to every {@code RestTemplate} bean, in place (the same object of the same
 * class, its own interceptors where they were); to every {@code RestClient} bean, rebuilt through
 * its own {@code mutate()} (base URL, default headers, request factory, converters, observation and
 * its own interceptors kept; one built without a request factory gets Spring's default again, as it
 * did); and to every {@code RestClient.Builder} bean the application defines, in place.
 */
public final class BlockingClientBeanPostProcessor extends ClientBeanPostProcessor {
  private final Class<? extends ClientHttpRequestInterceptor> type;
  private final Supplier<? extends ClientHttpRequestInterceptor> interceptor;

  /**
   * Adds {@code interceptor} (asked for at the first client that lacks one of {@code type}) where
   * {@code hook} says.
   */
  public BlockingClientBeanPostProcessor(
      Hook hook,
      Class<? extends ClientHttpRequestInterceptor> type,
      Supplier<? extends ClientHttpRequestInterceptor> interceptor) {
    super(hook);
    this.type = type;
    this.interceptor = interceptor;
  }

  @Override
  protected boolean accepts(Object bean) {
    return bean instanceof RestTemplate
        || bean instanceof RestClient
        || bean instanceof RestClient.Builder;
  }

  @Override
  protected Object withHook(Object client) {
    if (client instanceof RestTemplate) {
      // The live list, as Boot's customizers use it: setInterceptors would re-sort the
      // application's interceptors by their order.
      addOnce(((RestTemplate) client).getInterceptors(), type, interceptor);
      return client;
    }
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
