package dev.meshaware.spring.propagation;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import dev.meshaware.core.propagation.SubscriberContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * What the Spring Boot starter's Reactor operator hook ({@code
 * ReactorHeaderScopes.acrossPipelines}, registered in a WebFlux application) costs an application's
 * pipelines: assembling a pipeline of eight operators (two of them lifted: {@code flatMap} and
 * {@code cache}), and assembling and running it to the end, once for a pipeline that belongs to a
 * request (meshaware's context entry) and once for one that does not. {@code hook} off is the same
 * without the hook. In a benchmark package of its own: the hook is not public API.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReactorHookBenchmark {
  private static final String KEY = "meshaware.benchmark";

  @Param({"off", "identity", "on"})
  public String hook;

  private Context request;

  @Setup
  public void setUp() {
    Propagation.install(
        HeaderPolicy.from(MeshawareSettings.load(ConfigSource.of(Map.of(), Map.of()))));
    String[] raw = new String[Propagation.policy().nameCount()];
    raw[0] = "6a1e5b7c-2f3d-4e8a-9b0c-0123456789ab";
    CapturedHeaders headers = Propagation.policy().capture(raw);
    request = Context.of(SubscriberContext.KEY, SubscriberContext.valueFor(headers));
    if (hook.equals("on")) {
      Hooks.onEachOperator(KEY, ReactorHeaderScopes.acrossPipelines());
    } else if (hook.equals("identity")) {
      Hooks.onEachOperator(KEY, publisher -> publisher); // what any operator hook costs
    }
  }

  @TearDown
  public void tearDown() {
    Hooks.resetOnEachOperator(KEY);
  }

  private static Mono<List<Integer>> pipeline() {
    return Flux.range(1, 8)
        .map(i -> i + 1)
        .filter(i -> i % 3 != 0)
        .flatMap(i -> Mono.just(i * 2))
        .doOnNext(i -> {})
        .collectList()
        .cache()
        .map(list -> list);
  }

  @Benchmark
  public Object assemble() {
    return pipeline();
  }

  @Benchmark
  public Object runOutsideRequest() {
    return pipeline().block();
  }

  @Benchmark
  public Object runInRequest() {
    return pipeline().contextWrite(request).block();
  }
}
