package dev.meshaware.spring.propagation;

import okhttp3.OkHttpClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives every {@code OkHttpClient} bean the {@link OkHttpHeaderInterceptor}, as an application
 * interceptor and, for each request sent, as a network interceptor. A client is immutable, so the
 * bean becomes a copy with the interceptor added; the copy shares the original's connection pool
 * and dispatcher, and the original is never used.
 */
final class OkHttpClientPostProcessor implements BeanPostProcessor {
  private final ObjectProvider<OkHttpHeaderInterceptor> interceptor;

  OkHttpClientPostProcessor(ObjectProvider<OkHttpHeaderInterceptor> interceptor) {
    this.interceptor = interceptor;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof OkHttpClient)) {
      return bean;
    }
    OkHttpClient client = (OkHttpClient) bean;
    boolean present =
        client.interceptors().stream().anyMatch(i -> i instanceof OkHttpHeaderInterceptor);
    if (present) {
      return client;
    }
    OkHttpHeaderInterceptor forwarding = interceptor.getObject();
    return client
        .newBuilder()
        .addInterceptor(forwarding)
        .addNetworkInterceptor(forwarding.perRequest())
        .build();
  }
}
