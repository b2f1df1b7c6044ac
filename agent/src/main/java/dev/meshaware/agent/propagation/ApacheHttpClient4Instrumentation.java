package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.Propagation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.apache.http.HttpHost;
import org.apache.http.client.methods.HttpRequestWrapper;
import org.apache.http.conn.routing.HttpRoute;

/**
 * Outbound: Apache HttpClient 4.5. {@code ProtocolExec} receives the client's wrapper of the
 * application's request (its own copy of the headers) on the calling thread, for the first request
 * and for every redirect, each with its own route: each request is checked against its own
 * destination. A redirect wraps a request built from the application's original, never the wrapper
 * the headers were added to, so nothing meshaware added to one request reaches the next.
 */
public final class ApacheHttpClient4Instrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "apache-httpclient4";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.apache.http.impl.execchain.ProtocolExec");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "execute",
            ExecuteAdvice.class,
            "org.apache.http.conn.routing.HttpRoute",
            "org.apache.http.client.methods.HttpRequestWrapper",
            "org.apache.http.client.protocol.HttpClientContext",
            "org.apache.http.client.methods.HttpExecutionAware"));
  }

  /** Adds the missing headers to the request wrapper. */
  public static final class ExecuteAdvice {
    private ExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(0) HttpRoute route, @Advice.Argument(1) HttpRequestWrapper request) {
      HttpHost target = route.getTargetHost();
      CapturedHeaders headers = Propagation.outbound(target.getHostName(), target.getPort());
      if (headers == null) {
        return;
      }
      for (int i = 0; i < headers.size(); i++) {
        if (!request.containsHeader(headers.name(i))) {
          request.addHeader(headers.name(i), headers.value(i));
        }
      }
    }
  }
}
