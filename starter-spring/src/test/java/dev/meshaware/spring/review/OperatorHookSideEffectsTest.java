package dev.meshaware.spring.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.RunningApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * What the application sees of its own pipelines with the starter's Reactor operator hook in place
 * (values and their order, the fusion its subscribers get, the steps {@code Scannable} names), and
 * the hook's life across contexts in one JVM. The lifted operators are Reactor's own {@code
 * MonoLift}/{@code FluxLift} around the application's (as every operator hook makes them), and
 * {@code Scannable} walks show a lifted step twice in a row: README, "Known limits".
 */
class OperatorHookSideEffectsTest {

  private static final Map<String, Supplier<Object>> PROBES = new LinkedHashMap<>();

  static {
    PROBES.put("Flux.share() stepName", () -> Scannable.from(Flux.range(1, 3).share()).stepName());
    PROBES.put(
        "Flux.cache() steps",
        () -> distinct(Scannable.from(Flux.range(1, 3).cache().map(i -> i)).steps().toList()));
    PROBES.put("Flux.cache() fusion", () -> fusion(Flux.range(1, 3).cache()));
    PROBES.put(
        "publish().autoConnect() fusion", () -> fusion(Flux.range(1, 3).publish().autoConnect()));
    PROBES.put("replay(2).refCount() fusion", () -> fusion(Flux.range(1, 3).replay(2).refCount()));
    PROBES.put(
        "sink.asFlux().map fusion",
        () -> {
          Sinks.Many<Integer> sink = Sinks.many().replay().all();
          sink.tryEmitNext(1);
          return fusion(sink.asFlux().map(i -> i));
        });
    PROBES.put(
        "Flux.create().map fusion",
        () -> fusion(Flux.<Integer>create(s -> s.next(1).complete()).map(i -> i)));
    PROBES.put(
        "Flux.cache() values",
        () ->
            Flux.range(1, 5)
                .cache()
                .publishOn(reactor.core.scheduler.Schedulers.parallel())
                .collectList()
                .block(Duration.ofSeconds(5)));
  }

  /** {@code steps} without a name repeated in a row. */
  static List<String> distinct(List<String> steps) {
    List<String> result = new ArrayList<>();
    for (String step : steps) {
      if (result.isEmpty() || !result.get(result.size() - 1).equals(step)) {
        result.add(step);
      }
    }
    return result;
  }

  /** The fusion mode a downstream asking for ANY fusion gets (none without a queue). */
  static int fusion(Flux<Integer> flux) {
    int[] mode = {Fuseable.NONE};
    flux.subscribe(
        new CoreSubscriber<Integer>() {
          @Override
          public void onSubscribe(Subscription s) {
            if (s instanceof Fuseable.QueueSubscription) {
              mode[0] = ((Fuseable.QueueSubscription<?>) s).requestFusion(Fuseable.ANY);
            }
            s.cancel();
          }

          @Override
          public void onNext(Integer integer) {}

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onComplete() {}
        });
    return mode[0];
  }

  static Map<String, Object> probe() {
    Map<String, Object> result = new LinkedHashMap<>();
    PROBES.forEach((name, probe) -> result.put(name, probe.get()));
    return result;
  }

  static boolean lifted() {
    return Mono.never().cache().getClass().getSimpleName().contains("Lift");
  }

  @Test
  void theApplicationsPipelinesLookAndBehaveTheSame() {
    assertThat(lifted()).as("no hook before any context").isFalse();
    Map<String, Object> before = probe();
    try (RunningApp app = RunningApp.start(WebApplicationType.REACTIVE, FluxApp.class, false)) {
      Map<String, Object> with = probe();
      assertThat(with).as("app-visible pipeline properties with the hook").isEqualTo(before);
    }
  }

  @Test
  void hookLifeAcrossContexts() {
    assertThat(lifted()).as("before").isFalse();
    RunningApp one = RunningApp.start(WebApplicationType.REACTIVE, FluxApp.class, false);
    assertThat(lifted()).as("one open").isTrue();
    RunningApp two = RunningApp.start(WebApplicationType.REACTIVE, FluxApp.class, false);
    one.close();
    assertThat(lifted()).as("two open after one closed").isTrue();
    two.close();
    assertThat(lifted()).as("all closed").isFalse();
    RunningApp three = RunningApp.start(WebApplicationType.REACTIVE, FluxApp.class, false);
    assertThat(lifted()).as("third open").isTrue();
    three.close();
    assertThat(lifted()).as("third closed").isFalse();
    try (RunningApp mvc = RunningApp.start(WebApplicationType.SERVLET, FluxApp.class, false)) {
      assertThat(lifted()).as("servlet app").isFalse();
    }
  }

  @Test
  void aContextThatFailsToStartLeavesNoHook() {
    assertThat(lifted()).as("before").isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> RunningApp.start(WebApplicationType.REACTIVE, FailingApp.class, false));
    assertThat(lifted()).as("after a failed start").isFalse();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class FluxApp {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class FailingApp {
    @org.springframework.context.annotation.Bean
    String failing() {
      throw new IllegalStateException("fails on purpose");
    }
  }
}
