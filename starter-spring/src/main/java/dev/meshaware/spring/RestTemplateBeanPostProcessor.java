package dev.meshaware.spring;

import java.util.function.Supplier;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestTemplate;

/**
 * Adds an interceptor to every {@code RestTemplate} bean, in place: the bean stays the same object
 * of the same class, its own interceptors stay where they were.
 */
public final class RestTemplateBeanPostProcessor extends ClientBeanPostProcessor {
  private final Class<? extends ClientHttpRequestInterceptor> type;
  private final Supplier<? extends ClientHttpRequestInterceptor> interceptor;

  /**
   * Adds {@code interceptor} (asked for at the first client that lacks one of {@code type}) at
   * {@code position}; see {@link ClientBeanPostProcessor} for the other arguments.
   */
  public RestTemplateBeanPostProcessor(
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
    return bean instanceof RestTemplate;
  }

  @Override
  protected Object withHook(Object client) {
    // The live list, as Boot's customizers use it: setInterceptors would re-sort the
    // application's interceptors by their order.
    addOnce(((RestTemplate) client).getInterceptors(), type, interceptor);
    return client;
  }
}
