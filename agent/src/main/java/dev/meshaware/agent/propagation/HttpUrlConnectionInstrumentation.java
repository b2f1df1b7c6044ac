package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.Propagation;
import java.net.HttpURLConnection;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Outbound: {@code HttpURLConnection} (http and https; the https class delegates to this one).
 * Headers can only be added before the connection is made, so the advice runs on entry of the three
 * methods that make it and does nothing once connected.
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
    return List.of(
        AdviceSpec.method("connect", InjectAdvice.class),
        AdviceSpec.method("getOutputStream", InjectAdvice.class),
        AdviceSpec.method("getInputStream", InjectAdvice.class));
  }

  /** Adds each captured header the application has not set itself. */
  public static final class InjectAdvice {
    private InjectAdvice() {}

    // The receiver is declared as Object: matching it as HttpURLConnection would make Byte Buddy
    // walk the class's interfaces, which another agent may have extended with types of its own
    // that meshaware cannot resolve (OpenTelemetry's field markers).
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.This Object self, @Advice.FieldValue("connected") boolean connected) {
      if (connected) {
        return;
      }
      HttpURLConnection connection = (HttpURLConnection) self;
      CapturedHeaders headers = Propagation.outbound(connection.getURL().getHost());
      if (headers == null) {
        return;
      }
      for (int i = 0; i < headers.size(); i++) {
        if (connection.getRequestProperty(headers.name(i)) == null) {
          connection.setRequestProperty(headers.name(i), headers.value(i));
        }
      }
    }
  }
}
