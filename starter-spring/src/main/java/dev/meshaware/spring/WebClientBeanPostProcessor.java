package dev.meshaware.spring;

import java.util.function.Supplier;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adds a filter to every {@code WebClient} bean, rebuilt through its own {@code mutate()} (base
 * URL, default headers, connector, codecs, observation and its own filters kept; one built without
 * a connector gets Spring's default again, as it did), and to every {@code WebClient.Builder} bean
 * the application defines, in place.
 */
public final class WebClientBeanPostProcessor extends ClientBeanPostProcessor {
  private final Class<? extends ExchangeFilterFunction> type;
  private final Supplier<? extends ExchangeFilterFunction> filter;

  /**
   * Adds {@code filter} (asked for at the first client that lacks one of {@code type}) where {@code
   * hook} says.
   */
  public WebClientBeanPostProcessor(
      Hook hook,
      Class<? extends ExchangeFilterFunction> type,
      Supplier<? extends ExchangeFilterFunction> filter) {
    super(hook);
    this.type = type;
    this.filter = filter;
  }

  @Override
  protected boolean accepts(Object bean) {
    return bean instanceof WebClient || bean instanceof WebClient.Builder;
  }

  @Override
  protected Object withHook(Object client) {
    if (client instanceof WebClient.Builder) {
      ((WebClient.Builder) client).filters(list -> addOnce(list, type, filter));
      return client;
    }
    WebClient.Builder builder = ((WebClient) client).mutate();
    boolean[] added = {false};
    builder.filters(list -> added[0] = addOnce(list, type, filter));
    return added[0] ? sameClass(client, builder.build()) : client;
  }
}
