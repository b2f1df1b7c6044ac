package example.isolation;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.grpc.internal.SerializingExecutor;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Executors of Spring, Guava, Netty, Reactor and gRPC, made as applications make them (plain
 * objects, no framework around them).
 */
final class LibrarySubjects {
  private LibrarySubjects() {}

  /** A fresh executor named {@code name}, or null when no library here has one of that name. */
  static Subject create(String name) {
    return switch (name) {
      case "spring-tpte" -> {
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setCorePoolSize(2);
        pool.setMaxPoolSize(2);
        pool.setThreadNamePrefix("spring-tpte-");
        pool.initialize();
        yield new Subject(2, pool::execute);
      }
      case "spring-tpts" -> {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(2);
        scheduler.setThreadNamePrefix("spring-tpts-");
        scheduler.initialize();
        yield new Subject(2, task -> scheduler.schedule(task, Instant.now()));
      }
      case "spring-simple" ->
          new Subject(1, new SimpleAsyncTaskExecutor("spring-simple-")::execute);
      case "spring-simple-virtual" -> {
        SimpleAsyncTaskExecutor perTask = new SimpleAsyncTaskExecutor("spring-virtual-");
        perTask.setVirtualThreads(true);
        yield new Subject(1, perTask::execute);
      }
      case "guava-factory" -> {
        Executor pool =
            Executors.newFixedThreadPool(
                2, new ThreadFactoryBuilder().setNameFormat("guava-%d").build());
        yield new Subject(2, pool::execute);
      }
      case "guava-listening" -> {
        var pool = MoreExecutors.listeningDecorator(Executors.newFixedThreadPool(2));
        yield new Subject(2, pool::submit);
      }
      case "guava-sequential" -> {
        Executor sequential = MoreExecutors.newSequentialExecutor(Executors.newFixedThreadPool(2));
        yield new Subject(1, sequential::execute);
      }
      case "netty-group" -> {
        DefaultEventExecutorGroup group = new DefaultEventExecutorGroup(2);
        yield new Subject(2, group::execute);
      }
      case "reactor-parallel" -> subscribingOn(Schedulers.newParallel("conf-parallel", 2), 2);
      case "reactor-parallel-global" ->
          publishingOn(Schedulers.parallel(), Schedulers.DEFAULT_POOL_SIZE);
      case "reactor-bounded-elastic" ->
          publishingOn(Schedulers.newBoundedElastic(2, 1000, "conf-elastic"), 2);
      case "reactor-single" -> subscribingOn(Schedulers.newSingle("conf-single"), 1);
      case "grpc-serializing" -> {
        SerializingExecutor serializing = new SerializingExecutor(Executors.newFixedThreadPool(2));
        yield new Subject(1, serializing::execute);
      }
      default -> null;
    };
  }

  /** {@code subscribeOn}: the subscription, and so the task, moves to the scheduler. */
  private static Subject subscribingOn(Scheduler scheduler, int threads) {
    return new Subject(
        threads,
        task ->
            Mono.fromRunnable(task)
                .subscribeOn(scheduler)
                .subscribe(null, Throwable::printStackTrace));
  }

  /** {@code publishOn}: the signal, and so the task, moves to the scheduler. */
  private static Subject publishingOn(Scheduler scheduler, int threads) {
    return new Subject(
        threads,
        task ->
            Mono.just(1)
                .publishOn(scheduler)
                .subscribe(any -> task.run(), Throwable::printStackTrace));
  }
}
