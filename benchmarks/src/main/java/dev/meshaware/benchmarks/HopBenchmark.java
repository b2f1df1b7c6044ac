package dev.meshaware.benchmarks;

import com.sun.net.httpserver.Headers;
import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.OwnedWork;
import dev.meshaware.core.propagation.Propagation;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-request work the agent adds to one hop, as its advice does it: read the inbound headers,
 * open the request's scope, add the captured headers to an outbound request (a real Apache HttpCore
 * request object), close the scope. {@link #baseline} builds the same outbound request without
 * meshaware; the difference is meshaware's cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HopBenchmark {
  private HeaderPolicy policy;
  private Headers inbound;
  private final Object request = new Object();

  @Setup
  public void setUp() {
    policy = HeaderPolicy.from(MeshawareSettings.load(ConfigSource.of(Map.of(), Map.of())));
    Propagation.install(policy);
    inbound = new Headers();
    inbound.add("host", "reviews:9080");
    inbound.add("user-agent", "curl/8.5.0");
    inbound.add("accept", "*/*");
    inbound.add("x-forwarded-proto", "http");
    inbound.add("x-request-id", "6a1e5b7c-2f3d-4e8a-9b0c-0123456789ab");
    inbound.add("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7");
    inbound.add("x-b3-spanid", "e457b5a2e4d86bd1");
    inbound.add("x-b3-parentspanid", "05e3ac9a4f6e3b90");
    inbound.add("x-b3-sampled", "1");
    inbound.add("x-envoy-attempt-count", "1");
    inbound.add("x-forwarded-client-cert", "By=spiffe://cluster.local/ns/default/sa/reviews");
  }

  @Benchmark
  public BasicHttpRequest baseline() {
    BasicHttpRequest outbound = new BasicHttpRequest("GET", "/ratings/0");
    outbound.addHeader("accept", "application/json");
    return outbound;
  }

  /** A task handed to a pool and run, without meshaware: the baseline of {@link #taskHandOff}. */
  @Benchmark
  public Object taskHandOffBaseline() {
    Runnable task = new CountingTask();
    task.run();
    return task;
  }

  /**
   * What the woven executor code adds to one thread hop while a request is served: the task is
   * registered to its owner where it is submitted, and runs in its owner's scope (opened on a
   * thread that holds another state, as a pool worker does, and closed after).
   */
  @Benchmark
  public Object taskHandOff() {
    Runnable task = new CountingTask();
    CurrentHeaders.Scope scope = Propagation.enterInbound(raw(), request);
    try {
      OwnedWork.submitted(task);
    } finally {
      Propagation.exitInbound(scope);
    }
    OwnedWork.runTask(task);
    return task;
  }

  private String[] raw() {
    String[] raw = new String[policy.nameCount()];
    raw[0] = "6a1e5b7c-2f3d-4e8a-9b0c-0123456789ab";
    return raw;
  }

  /** A task with a body the JIT cannot remove. */
  private static final class CountingTask implements Runnable {
    int runs;

    @Override
    public void run() {
      runs++;
    }
  }

  @Benchmark
  public BasicHttpRequest captureAndInject() {
    String[] raw = new String[policy.nameCount()];
    for (java.util.Map.Entry<String, java.util.List<String>> header : inbound.entrySet()) {
      int index = policy.indexOf(header.getKey());
      if (index >= 0 && !header.getValue().isEmpty()) {
        raw[index] = header.getValue().get(0);
      }
    }
    CurrentHeaders.Scope scope = Propagation.enterInbound(raw, request);
    try {
      BasicHttpRequest outbound = new BasicHttpRequest("GET", "/ratings/0");
      outbound.addHeader("accept", "application/json");
      CapturedHeaders headers = Propagation.outbound("ratings");
      for (int i = 0; i < headers.size(); i++) {
        if (!outbound.containsHeader(headers.name(i))) {
          outbound.addHeader(headers.name(i), headers.value(i));
        }
      }
      return outbound;
    } finally {
      Propagation.exitInbound(scope);
    }
  }
}
