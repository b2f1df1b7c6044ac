package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.library.Libraries;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Every instrumentation that forwards headers: inbound servers, outbound clients, thread hops. */
public final class PropagationInstrumentations {
  private PropagationInstrumentations() {}

  /**
   * Servers: where a request's headers are captured, and where each request is counted while it is
   * served (the shutdown drain needs these even with header forwarding off).
   */
  public static List<TypeInstrumentation> inbound() {
    List<TypeInstrumentation> inbound = new ArrayList<>();
    inbound.add(new JdkHttpServerInstrumentation());
    inbound.add(new TomcatInstrumentation());
    inbound.addAll(ServletInstrumentation.both());
    inbound.add(new ReactorNettyServerInstrumentation());
    inbound.add(new ReactorNettyServerContextInstrumentation());
    inbound.add(new GrpcServerInstrumentation());
    Libraries.all().forEach(l -> inbound.addAll(l.inbound()));
    return Collections.unmodifiableList(inbound);
  }

  /** Clients: where the captured headers are added to outbound calls. */
  public static List<TypeInstrumentation> outbound() {
    List<TypeInstrumentation> outbound = new ArrayList<>();
    outbound.add(new HttpUrlConnectionInstrumentation());
    outbound.add(new JdkHttpClientInstrumentation());
    outbound.addAll(OkHttpInstrumentation.both());
    outbound.addAll(ApacheHttpClient5Instrumentation.both());
    outbound.add(new ApacheHttpClient4Instrumentation());
    outbound.add(new GrpcClientInstrumentation());
    outbound.add(new ReactorNettyClientSubscribeInstrumentation());
    outbound.add(new ReactorNettyClientRequestInstrumentation());
    Libraries.all().forEach(l -> outbound.addAll(l.outbound()));
    return Collections.unmodifiableList(outbound);
  }

  /** Executors, threads and reactive pipelines: where the headers travel between threads. */
  public static List<TypeInstrumentation> threadHops() {
    List<TypeInstrumentation> hops = new ArrayList<>();
    hops.add(new ReactorBlockingInstrumentation());
    hops.addAll(ExecutorInstrumentations.all());
    Libraries.all().forEach(l -> hops.addAll(l.threadHops()));
    return Collections.unmodifiableList(hops);
  }

  public static List<TypeInstrumentation> all() {
    List<TypeInstrumentation> all = new ArrayList<>(inbound());
    all.addAll(outbound());
    all.addAll(threadHops());
    return Collections.unmodifiableList(all);
  }
}
