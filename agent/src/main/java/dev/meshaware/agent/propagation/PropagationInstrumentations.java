package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.TypeInstrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Every instrumentation that forwards headers: inbound servers, outbound clients, thread hops. */
public final class PropagationInstrumentations {
  private PropagationInstrumentations() {}

  public static List<TypeInstrumentation> all() {
    List<TypeInstrumentation> all = new ArrayList<>(inbound());
    all.add(new ReactorNettyServerContextInstrumentation());
    all.add(new HttpUrlConnectionInstrumentation());
    all.add(new JdkHttpClientInstrumentation());
    all.add(new OkHttpInstrumentation());
    all.addAll(ApacheHttpClient5Instrumentation.both());
    all.add(new ApacheHttpClient4Instrumentation());
    all.add(new GrpcServerInstrumentation());
    all.add(new GrpcClientInstrumentation());
    all.add(new ReactorNettyClientSubscribeInstrumentation());
    all.add(new ReactorNettyClientRequestInstrumentation());
    all.add(new ReactorBlockingInstrumentation());
    all.addAll(ExecutorInstrumentations.all());
    return Collections.unmodifiableList(all);
  }

  /**
   * The inbound entry points that mark each request while it is served, and so also count it for
   * the shutdown drain: with header forwarding off, the drain still needs these.
   */
  public static List<TypeInstrumentation> inbound() {
    List<TypeInstrumentation> inbound = new ArrayList<>();
    inbound.add(new JdkHttpServerInstrumentation());
    inbound.add(new TomcatInstrumentation());
    inbound.addAll(ServletInstrumentation.both());
    inbound.add(new ReactorNettyServerInstrumentation());
    return Collections.unmodifiableList(inbound);
  }
}
