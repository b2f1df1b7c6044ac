package dev.meshaware.spring.propagation;

import dev.meshaware.core.propagation.CapturedHeaders;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Adds the current request's trace headers to calls of an {@code OkHttpClient} bean (see {@link
 * OkHttpClientPostProcessor}). An application interceptor, so it sees the headers the application
 * set and leaves them alone.
 */
public final class OkHttpHeaderInterceptor implements Interceptor {
  private final RequestHeaders requestHeaders;

  public OkHttpHeaderInterceptor(RequestHeaders requestHeaders) {
    this.requestHeaders = requestHeaders;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    CapturedHeaders headers = requestHeaders.forHost(request.url().host());
    if (headers == null) {
      return chain.proceed(request);
    }
    Request.Builder builder = null;
    for (int i = 0; i < headers.size(); i++) {
      if (request.header(headers.name(i)) == null) {
        builder = builder == null ? request.newBuilder() : builder;
        builder.addHeader(headers.name(i), headers.value(i));
      }
    }
    return chain.proceed(builder == null ? request : builder.build());
  }
}
