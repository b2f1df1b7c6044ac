package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.Propagation;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.List;
import net.bytebuddy.asm.Advice;
import sun.net.www.MessageHeader;

/**
 * Outbound: {@code HttpURLConnection} (http and https; the https class delegates to this one).
 * Every request the connection sends, the first one and each redirect it follows, is written by its
 * private {@code writeRequests()}, on the thread that reads the answer, from the header list {@code
 * requests}, which the JDK keeps from one redirect to the next. The advice sets meshaware's headers
 * in that list for an allowed destination and takes them out again for an excluded one, right
 * before each request is written.
 *
 * <p>The application's own headers are told apart by the second list the JDK keeps, {@code
 * userHeaders}: everything {@code setRequestProperty} and {@code addRequestProperty} set, and
 * nothing else. A header named there is the application's and is never touched; meshaware's never
 * go there.
 */
public final class HttpUrlConnectionInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "http-url-connection";
  }

  @Override
  public List<String> typeNames() {
    return List.of("sun.net.www.protocol.http.HttpURLConnection");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(AdviceSpec.method("writeRequests", WriteRequestsAdvice.class));
  }

  /** Gives the request about to be written exactly the headers its destination may have. */
  public static final class WriteRequestsAdvice {
    private WriteRequestsAdvice() {}

    // The receiver is declared as Object: matching it as HttpURLConnection would make Byte Buddy
    // walk the class's interfaces, which another agent may have extended with types of its own
    // that meshaware cannot resolve (OpenTelemetry's field markers).
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.This Object self,
        @Advice.FieldValue("requests") MessageHeader requests,
        @Advice.FieldValue("userHeaders") MessageHeader userHeaders) {
      CapturedHeaders headers = Propagation.forCall();
      if (headers == null) {
        return;
      }
      URL url = ((HttpURLConnection) self).getURL();
      boolean allowed =
          Propagation.forDestination(
                  headers, url.getHost(), url.getPort() >= 0 ? url.getPort() : url.getDefaultPort())
              != null;
      for (int i = 0; i < headers.size(); i++) {
        String name = headers.name(i);
        if (userHeaders.findValue(name) != null) {
          continue;
        }
        if (allowed) {
          requests.set(name, headers.value(i));
        } else if (headers.value(i).equals(requests.findValue(name))) {
          requests.remove(name);
        }
      }
    }
  }
}
