package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.PropagatingRunnable;
import dev.meshaware.spring.testing.Carried;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.RunningApp;
import java.lang.reflect.Field;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ConcurrentTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Executors a Spring MVC application defines itself, beside the one Spring Boot builds, with the
 * starter alone: its own {@code ThreadPoolTaskExecutor} (with a decorator of its own), {@code
 * ThreadPoolTaskScheduler} (likewise), {@code SimpleAsyncTaskExecutor} and {@code
 * ConcurrentTaskExecutor} (around a plain single-thread {@code ExecutorService}), used through
 * {@code @Async("name")} and directly, and Boot's {@code applicationTaskExecutor} with the
 * application's {@code TaskDecorator} bean. Pools have one thread, so each thread runs request
 * after request and work submitted outside any request: each task carries exactly its submitter's
 * headers, or none. The application's decorators keep running, once per task, on their own tasks.
 */
class AppExecutorsTest {
  private static final List<String> EXECUTORS =
      List.of("applicationTaskExecutor", "appPool", "appScheduler", "appSimple", "appConcurrent");

  private static Downstream downstream;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    downstream = new Downstream();
    app =
        Carried.start(
            WebApplicationType.SERVLET,
            ExecutorsApp.class,
            downstream,
            // Boot builds its executor beside the application's own only when told to.
            "spring.task.execution.mode=force",
            "spring.task.execution.pool.core-size=1");
  }

  @AfterAll
  static void stop() {
    app.close();
    downstream.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "applicationTaskExecutor",
        "appPool",
        "appScheduler",
        "appSimple",
        "appConcurrent"
      })
  void asyncMethodsAndSubmittedTasksCarryTheirSubmittersHeadersOrNone(String executor)
      throws Exception {
    List<String[]> sent = new ArrayList<>();
    List<String> threads = new ArrayList<>();
    String[] owners = {"a", "b", null, "c", "outside", null, "d", "outside"};
    for (int i = 0; i < owners.length; i++) {
      for (String how : new String[] {"async", "submit"}) {
        String path = "/" + executor + "-" + how + "-" + i;
        String owner = owners[i];
        String answer;
        if ("outside".equals(owner)) {
          // Submitted from this test's thread: outside any request, on a worker that has just
          // run a request's task.
          answer = outside(executor, path);
          owner = null;
        } else {
          String requestId = owner == null ? null : "rid-" + executor + "-" + how + "-" + i;
          answer = get("/" + how + "/" + executor + "?path=" + path, requestId);
          owner = requestId;
        }
        assertThat(answer).startsWith("down@");
        threads.add(answer.substring("down@".length()));
        sent.add(new String[] {path, owner});
      }
    }
    for (String[] each : sent) {
      Carried.check(downstream, each[0], each[1]);
    }
    if (!executor.equals("appSimple")) {
      assertThat(threads).as("one worker ran every task").containsOnly(threads.get(0));
    }
  }

  @Test
  void aOneShotTaskScheduledDuringARequestCarriesItAndOneScheduledOutsideCarriesNone()
      throws Exception {
    assertThat(get("/once?path=/once-owned", "rid-once")).startsWith("down@app-scheduler-");
    ThreadPoolTaskScheduler scheduler =
        app.context().getBean("appScheduler", ThreadPoolTaskScheduler.class);
    CompletableFuture<String> outside = new CompletableFuture<>();
    scheduler.schedule(
        () -> outside.complete(calls().call("/once-outside")), Instant.now().plusMillis(5));
    assertThat(outside.get(30, TimeUnit.SECONDS)).startsWith("down@app-scheduler-");
    assertThat(get("/once?path=/once-bare", null)).startsWith("down@app-scheduler-");

    Carried.check(downstream, "/once-owned", "rid-once");
    Carried.check(downstream, "/once-outside", null);
    Carried.check(downstream, "/once-bare", null);
  }

  @Test
  void aTaskLeftRunningAfterTheResponseKeepsItsRequestsHeaders() throws Exception {
    assertThat(get("/fire?path=/fired", "rid-fired")).isEqualTo("fired");
    Carried.check(downstream, "/fired", "rid-fired");
  }

  @Test
  void concurrentRequestsOverEveryExecutorKeepTheirOwn() throws Exception {
    Carried.concurrently(
        downstream,
        32,
        6,
        (i, requestId) -> {
          String executor = EXECUTORS.get(i % EXECUTORS.size());
          String how = i % 2 == 0 ? "async" : "submit";
          String path = "/concurrent-" + i;
          assertThat(get("/" + how + "/" + executor + "?path=" + path, requestId))
              .startsWith("down@");
          return path;
        });
  }

  @Test
  void theApplicationsDecoratorsAreComposedNotReplacedAndRunOncePerTask() throws Exception {
    ExecutorsApp beans = app.context().getBean(ExecutorsApp.class);
    get("/async/appPool?path=/decorated-pool", "rid-decorated");
    get("/async/applicationTaskExecutor?path=/decorated-boot", "rid-decorated-boot");
    get("/async/appScheduler?path=/decorated-scheduler", "rid-decorated-scheduler");

    // Each executor bean is the application's own object, with ours around its decorator.
    assertThat(app.context().getBean("appPool")).isSameAs(beans.pool);
    assertThat(app.context().getBean("appPool").getClass()).isEqualTo(ThreadPoolTaskExecutor.class);
    assertThat(app.context().getBean("appScheduler")).isSameAs(beans.scheduler);
    assertThat(composedWith(beans.pool)).isSameAs(beans.poolDecorator);
    assertThat(composedWith(beans.scheduler)).isSameAs(beans.schedulerDecorator);
    assertThat(composedWith(app.context().getBean("applicationTaskExecutor")))
        .as("Boot applied the application's TaskDecorator bean; meshaware composed with it")
        .isSameAs(app.context().getBean("appTaskDecorator"));
    assertThat(composedWith(app.context().getBean("appSimple"))).isNull();

    for (CountingDecorator decorator :
        List.of(beans.poolDecorator, beans.schedulerDecorator, beans.beanDecorator)) {
      assertThat(decorator.decorated.get()).as(decorator.name + " decorated").isPositive();
      assertThat(decorator.ran.get())
          .as(decorator.name + ": each task it decorated ran once")
          .isEqualTo(decorator.decorated.get());
      assertThat(decorator.sawMeshaware.get())
          .as(decorator.name + " is handed the application's tasks, never meshaware's")
          .isZero();
    }
    assertThat(beans.poolDecorator.requestIds)
        .as("headers current around it")
        .contains("rid-decorated");
    assertThat(beans.beanDecorator.requestIds).contains("rid-decorated-boot");
    assertThat(beans.schedulerDecorator.requestIds).contains("rid-decorated-scheduler");
  }

  @Test
  void bootsVirtualThreadExecutorCarriesItsSubmittersHeadersAroundTheApplicationsDecorator()
      throws Exception {
    assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21");
    try (Downstream virtualDownstream = new Downstream();
        RunningApp virtual =
            Carried.start(
                WebApplicationType.SERVLET,
                ExecutorsApp.class,
                virtualDownstream,
                "spring.task.execution.mode=force",
                "spring.threads.virtual.enabled=true")) {
      Object executor = virtual.context().getBean("applicationTaskExecutor");
      assertThat(executor).isInstanceOf(SimpleAsyncTaskExecutor.class);
      assertThat(composedWith(executor)).isSameAs(virtual.context().getBean("appTaskDecorator"));
      String[] owners = {"v1", null, "v2"};
      for (int i = 0; i < owners.length; i++) {
        String requestId = owners[i] == null ? null : "rid-virtual-" + owners[i];
        assertThat(
                virtual
                    .get(
                        "/async/applicationTaskExecutor?path=/virtual-" + i,
                        Carried.headers(requestId))
                    .body())
            .startsWith("down@");
      }
      ExecutorsApp.Calls calls = virtual.context().getBean(ExecutorsApp.Calls.class);
      ((AsyncTaskExecutor) executor)
          .submit(() -> calls.call("/virtual-outside"))
          .get(30, TimeUnit.SECONDS);
      for (int i = 0; i < owners.length; i++) {
        Carried.check(
            virtualDownstream,
            "/virtual-" + i,
            owners[i] == null ? null : "rid-virtual-" + owners[i]);
      }
      Carried.check(virtualDownstream, "/virtual-outside", null);
      CountingDecorator decorator = virtual.context().getBean(ExecutorsApp.class).beanDecorator;
      assertThat(decorator.ran.get()).isEqualTo(decorator.decorated.get()).isEqualTo(4);
    }
  }

  @Test
  void anExecutorIsComposedOnceHoweverOftenItIsProcessed() {
    ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
    TaskDecorator applications = task -> task;
    executor.setTaskDecorator(applications);
    ExecutorDecoratingPostProcessor processor = new ExecutorDecoratingPostProcessor();
    processor.postProcessBeforeInitialization(executor, "twice");
    processor.postProcessBeforeInitialization(executor, "twice");
    assertThat(composedWith(executor)).isSameAs(applications);
  }

  @Test
  void aDecoratorTheApplicationComposedWithMeshawaresOwnWrapsATaskOnce() {
    Runnable task = () -> {};
    List<Runnable> handed = new ArrayList<>();
    TaskDecorator recording =
        each -> {
          handed.add(each);
          return each;
        };
    // As the starter once advised: the application's composite with meshaware's decorator first.
    TaskDecorator applications =
        new CompositeTaskDecorator(List.of(new HeaderForwardingTaskDecorator(), recording));
    Runnable decorated = new HeaderForwardingTaskDecorator(applications).decorate(task);
    assertThat(handed).containsExactly(task);
    assertThat(decorated).isInstanceOf(PropagatingRunnable.class);
    assertThat(((PropagatingRunnable) decorated).unwrap()).isSameAs(task);
  }

  /** The decorator meshaware's composes with on {@code executor} (fails when it has none). */
  private static TaskDecorator composedWith(Object executor) {
    Field field = ReflectionUtils.findField(executor.getClass(), "taskDecorator");
    ReflectionUtils.makeAccessible(field);
    Object decorator = ReflectionUtils.getField(field, executor);
    assertThat(decorator).isInstanceOf(HeaderForwardingTaskDecorator.class);
    return ((HeaderForwardingTaskDecorator) decorator).applications();
  }

  private static ExecutorsApp.Calls calls() {
    return app.context().getBean(ExecutorsApp.Calls.class);
  }

  private static String outside(String executor, String path) throws Exception {
    AsyncTaskExecutor target = app.context().getBean(executor, AsyncTaskExecutor.class);
    return target.submit(() -> calls().call(path)).get(30, TimeUnit.SECONDS);
  }

  private static String get(String path, String requestId) throws Exception {
    return app.get(path, Carried.headers(requestId)).body();
  }

  /** An application's own decorator: counts what it decorates and runs. */
  static final class CountingDecorator implements TaskDecorator {
    final String name;
    final AtomicInteger decorated = new AtomicInteger();
    final AtomicInteger ran = new AtomicInteger();
    final AtomicInteger sawMeshaware = new AtomicInteger();
    final Queue<String> requestIds = new ConcurrentLinkedQueue<>();

    CountingDecorator(String name) {
      this.name = name;
    }

    @Override
    public Runnable decorate(Runnable task) {
      decorated.incrementAndGet();
      if (task instanceof PropagatingRunnable) {
        sawMeshaware.incrementAndGet();
      }
      return () -> {
        ran.incrementAndGet();
        CapturedHeaders current = CurrentHeaders.get();
        if (current != null) {
          requestIds.add(current.get("x-request-id"));
        }
        task.run();
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableAsync
  @Import({ExecutorsApp.Calls.class, ExecutorsApp.AsyncCalls.class})
  static class ExecutorsApp {
    final CountingDecorator beanDecorator = new CountingDecorator("TaskDecorator bean");
    final CountingDecorator poolDecorator = new CountingDecorator("appPool's decorator");
    final CountingDecorator schedulerDecorator = new CountingDecorator("appScheduler's decorator");
    final ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
    final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

    /** Boot applies it to the executor it builds. */
    @Bean
    TaskDecorator appTaskDecorator() {
      return beanDecorator;
    }

    @Bean
    ThreadPoolTaskExecutor appPool() {
      pool.setCorePoolSize(1);
      pool.setMaxPoolSize(1);
      pool.setThreadNamePrefix("app-pool-");
      pool.setTaskDecorator(poolDecorator);
      return pool;
    }

    @Bean
    ThreadPoolTaskScheduler appScheduler() {
      scheduler.setPoolSize(1);
      scheduler.setThreadNamePrefix("app-scheduler-");
      scheduler.setTaskDecorator(schedulerDecorator);
      return scheduler;
    }

    @Bean
    SimpleAsyncTaskExecutor appSimple() {
      return new SimpleAsyncTaskExecutor("app-simple-");
    }

    /** Spring's adapter around a plain java.util.concurrent pool of the application's. */
    @Bean
    ConcurrentTaskExecutor appConcurrent() {
      return new ConcurrentTaskExecutor(
          java.util.concurrent.Executors.newSingleThreadExecutor(
              runnable -> new Thread(runnable, "app-concurrent-1")));
    }

    @RestController
    public static class Calls {
      private final RestClient restClient;
      private final String downstream;
      private final AsyncCalls async;
      private final BeanFactory beans;
      private final ThreadPoolTaskScheduler scheduler;
      private final ThreadPoolTaskExecutor pool;

      public Calls(
          RestClient.Builder restClient,
          Environment environment,
          AsyncCalls async,
          BeanFactory beans,
          @Qualifier("appScheduler") ThreadPoolTaskScheduler scheduler,
          @Qualifier("appPool") ThreadPoolTaskExecutor appPool) {
        this.restClient = restClient.build();
        this.downstream = environment.getProperty("app.downstream");
        this.async = async;
        this.beans = beans;
        this.scheduler = scheduler;
        this.pool = appPool;
      }

      /** Calls {@code path} downstream; "down@" and the thread it ran on. */
      String call(String path) {
        return restClient.get().uri(downstream + path).retrieve().body(String.class)
            + "@"
            + Thread.currentThread().getName();
      }

      @GetMapping("/async/{executor}")
      public String async(
          @PathVariable("executor") String executor, @RequestParam("path") String path) {
        switch (executor) {
          case "applicationTaskExecutor":
            return async.onBoots(this, path).join();
          case "appPool":
            return async.onPool(this, path).join();
          case "appScheduler":
            return async.onScheduler(this, path).join();
          case "appSimple":
            return async.onSimple(this, path).join();
          case "appConcurrent":
            return async.onConcurrent(this, path).join();
          default:
            throw new IllegalArgumentException(executor);
        }
      }

      @GetMapping("/submit/{executor}")
      public String submit(
          @PathVariable("executor") String executor, @RequestParam("path") String path)
          throws Exception {
        return beans
            .getBean(executor, AsyncTaskExecutor.class)
            .submit(() -> call(path))
            .get(30, TimeUnit.SECONDS);
      }

      @GetMapping("/once")
      public String once(@RequestParam("path") String path) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        scheduler.schedule(() -> answer.complete(call(path)), Instant.now().plusMillis(5));
        return answer.get(30, TimeUnit.SECONDS);
      }

      @GetMapping("/fire")
      public String fire(@RequestParam("path") String path) {
        pool.execute(() -> call(path));
        return "fired";
      }
    }

    public static class AsyncCalls {
      @Async
      public CompletableFuture<String> onBoots(Calls calls, String path) {
        return CompletableFuture.completedFuture(calls.call(path));
      }

      @Async("appPool")
      public CompletableFuture<String> onPool(Calls calls, String path) {
        return CompletableFuture.completedFuture(calls.call(path));
      }

      @Async("appScheduler")
      public CompletableFuture<String> onScheduler(Calls calls, String path) {
        return CompletableFuture.completedFuture(calls.call(path));
      }

      @Async("appSimple")
      public CompletableFuture<String> onSimple(Calls calls, String path) {
        return CompletableFuture.completedFuture(calls.call(path));
      }

      @Async("appConcurrent")
      public CompletableFuture<String> onConcurrent(Calls calls, String path) {
        return CompletableFuture.completedFuture(calls.call(path));
      }
    }
  }
}
