package dev.meshaware.benchmarks;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.PropagatingRunnable;
import dev.meshaware.core.propagation.Propagation;
import dev.meshaware.spring.propagation.HeaderForwardingTaskDecorator;
import dev.meshaware.spring.propagation.RequestHeaders;
import java.net.URI;
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

/**
 * What the Spring Boot starter's client hook does per outbound call while a request is served: find
 * the headers for the destination ({@code RequestHeaders.forUri}), which includes the walk up the
 * calling stack that tells a future's callback run by another completion (it stops at the frame
 * where the request's scope was opened, or at a completion). {@code depth} is how many frames lie
 * between the call and that place: a task's call is near it, a servlet's controller far (Spring MVC
 * puts some 80 to 120 frames between its filter and a client's interceptor). {@link #core} is the
 * same lookup without the walk. {@link #starterTask} is the starter's task decorator on a Spring
 * executor bean's task submitted at that depth (its walk looks 64 frames up), {@link
 * #starterTaskAnyExecutor} the public decorator's (a few frames more, for a scheduling method),
 * {@link #coreTask} core's carrier alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StarterOutboundBenchmark {
  @Param({"20", "80", "150"})
  public int depth;

  private final URI uri = URI.create("http://ratings:9080/ratings/0");
  private RequestHeaders requestHeaders;

  /** The form meshaware puts on an executor bean whose plain tasks never repeat. */
  private final HeaderForwardingTaskDecorator decorator = oneShotForm();

  /**
   * The form an application gets from the public constructor, or a {@code ConcurrentTaskScheduler}
   * bean: it also looks a few frames down for a scheduling method.
   */
  private final HeaderForwardingTaskDecorator anyExecutor = new HeaderForwardingTaskDecorator();

  private final Runnable task = () -> {};
  private CurrentHeaders.Scope scope;

  @Setup
  public void setUp() {
    Propagation.install(
        HeaderPolicy.from(MeshawareSettings.load(ConfigSource.of(Map.of(), Map.of()))));
    requestHeaders = new RequestHeaders(List.of());
    String[] raw = new String[Propagation.policy().nameCount()];
    raw[0] = "6a1e5b7c-2f3d-4e8a-9b0c-0123456789ab";
    scope = Propagation.enterInbound(raw, new Object());
  }

  @TearDown
  public void tearDown() {
    Propagation.exitInbound(scope);
  }

  @Benchmark
  public CapturedHeaders starter() {
    return starterAt(depth);
  }

  @Benchmark
  public CapturedHeaders core() {
    return coreAt(depth);
  }

  @Benchmark
  public Runnable starterTask() {
    return decorateAt(depth);
  }

  @Benchmark
  public Runnable starterTaskAnyExecutor() {
    return decorateAt(depth, anyExecutor);
  }

  @Benchmark
  public Runnable coreTask() {
    return ownedAt(depth);
  }

  private Runnable decorateAt(int frames) {
    return decorateAt(frames, decorator);
  }

  private Runnable decorateAt(int frames, HeaderForwardingTaskDecorator which) {
    return frames == 0 ? which.decorate(task) : decorateAt(frames - 1, which);
  }

  private static HeaderForwardingTaskDecorator oneShotForm() {
    try {
      java.lang.reflect.Method form =
          HeaderForwardingTaskDecorator.class.getDeclaredMethod("forOneShotExecutor");
      form.setAccessible(true);
      return (HeaderForwardingTaskDecorator) form.invoke(new HeaderForwardingTaskDecorator());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private Runnable ownedAt(int frames) {
    return frames == 0 ? PropagatingRunnable.owned(task) : ownedAt(frames - 1);
  }

  private CapturedHeaders starterAt(int frames) {
    return frames == 0 ? requestHeaders.forUri(uri) : starterAt(frames - 1);
  }

  private CapturedHeaders coreAt(int frames) {
    return frames == 0 ? Propagation.outbound(uri) : coreAt(frames - 1);
  }
}
