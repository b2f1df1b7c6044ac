package dev.meshaware.spring.propagation;

import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.propagation.CapturedHeaders;
import feign.RequestInterceptor;
import feign.RequestTemplate;
import feign.Target;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Map;

/**
 * Adds the current request's headers to every Feign request (Spring Cloud OpenFeign applies every
 * {@code RequestInterceptor} bean to every client). A header the request has already (from the
 * method's {@code @RequestHeader} or {@code @Headers}, or from an interceptor of the application,
 * which run first) is kept as it is. Values are added as literals: Feign would read a {@code {...}}
 * in a value as a template expression.
 *
 * <p>Excluded hosts are checked against the host the client names (its {@code url}, or the name a
 * load-balanced client resolves later), before Feign sends the request; a redirect the HTTP client
 * under Feign follows by itself carries what the first request carried, as for {@link
 * HeaderForwardingInterceptor}.
 */
public final class FeignHeaderInterceptor implements RequestInterceptor {
  private final RequestHeaders requestHeaders;

  public FeignHeaderInterceptor(RequestHeaders requestHeaders) {
    this.requestHeaders = requestHeaders;
  }

  @Override
  public void apply(RequestTemplate template) {
    try {
      CapturedHeaders headers = requestHeaders.forUri(destination(template));
      if (headers == null) {
        return;
      }
      Map<String, Collection<String>> present = template.headers(); // any case
      for (int i = 0; i < headers.size(); i++) {
        if (!present.containsKey(headers.name(i))) {
          template.headerLiteral(headers.name(i), headers.value(i));
        }
      }
    } catch (RuntimeException e) {
      // A failure costs the headers, not the call.
      MeshLog.debug("could not add forwarded headers to a Feign request: " + e);
    }
  }

  /**
   * Scheme, host and port of the request: its URL when absolute (a {@code URI} argument), else its
   * client's. Null when unreadable, which core counts as excluded while exclusions are set.
   */
  static URI destination(RequestTemplate template) {
    String url = template.url();
    Target<?> target = template.feignTarget();
    if (!url.contains("://") && target != null) {
      url = target.url();
    }
    int authority = url.indexOf("://");
    if (authority < 0) {
      return null;
    }
    int end = authority + 3;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    try {
      return new URI(url.substring(0, end));
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
