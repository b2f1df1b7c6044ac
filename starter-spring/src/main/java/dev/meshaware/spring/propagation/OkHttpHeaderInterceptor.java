package dev.meshaware.spring.propagation;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.Propagation;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Forwards the current request's trace headers on calls of an {@code OkHttpClient} bean (see {@link
 * OkHttpClientPostProcessor}), checking every request a call sends, redirects included, against its
 * own destination.
 *
 * <p>Two parts. This application interceptor runs once per call, on the thread that made it (for
 * {@code execute}): it tags the call's request with the headers meshaware owes it, those the
 * application did not set itself. The {@link #perRequest() network interceptor} runs for every
 * request the call sends, on whatever thread sends it, and adds the tagged headers when that
 * request's host may have them. OkHttp builds a redirect from the request above the network
 * interceptors, so what the network interceptor added to one request never reaches the next.
 */
public final class OkHttpHeaderInterceptor implements Interceptor {
  private final RequestHeaders requestHeaders;
  private final Interceptor perRequest = new PerRequest();

  public OkHttpHeaderInterceptor(RequestHeaders requestHeaders) {
    this.requestHeaders = requestHeaders;
  }

  /** The network interceptor that adds the tagged headers to each request sent. */
  public Interceptor perRequest() {
    return perRequest;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    CapturedHeaders headers =
        request.tag(CapturedHeaders.class) == null ? requestHeaders.forCall() : null;
    if (headers == null) {
      return chain.proceed(request);
    }
    boolean[] appSet = new boolean[headers.size()];
    for (int i = 0; i < headers.size(); i++) {
      appSet[i] = request.header(headers.name(i)) != null;
    }
    CapturedHeaders owed = headers.without(appSet);
    return chain.proceed(
        owed == null ? request : request.newBuilder().tag(CapturedHeaders.class, owed).build());
  }

  /** Adds the owed headers a request lacks, when its own destination may have them. */
  private static final class PerRequest implements Interceptor {
    @Override
    public Response intercept(Chain chain) throws IOException {
      Request request = chain.request();
      HttpUrl url = request.url();
      CapturedHeaders owed =
          Propagation.forDestination(request.tag(CapturedHeaders.class), url.host(), url.port());
      if (owed == null) {
        return chain.proceed(request);
      }
      Request.Builder builder = null;
      for (int i = 0; i < owed.size(); i++) {
        if (request.header(owed.name(i)) == null) {
          builder = builder == null ? request.newBuilder() : builder;
          builder.addHeader(owed.name(i), owed.value(i));
        }
      }
      return chain.proceed(builder == null ? request : builder.build());
    }
  }
}
