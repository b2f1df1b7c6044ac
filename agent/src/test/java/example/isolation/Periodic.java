package example.isolation;

import io.netty.util.concurrent.DefaultEventExecutorGroup;
import java.time.Duration;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Periodic work, scheduled by whichever context calls {@link #schedule}: its first run calls out,
 * later runs (an hour apart) do nothing.
 */
final class Periodic {
  private static final ScheduledExecutorService JDK = Executors.newScheduledThreadPool(1);
  private static final Timer TIMER = new Timer("periodic-timer", true);
  private static final DefaultEventExecutorGroup NETTY = new DefaultEventExecutorGroup(1);
  private static final ThreadPoolTaskScheduler SPRING = new ThreadPoolTaskScheduler();

  static {
    SPRING.initialize();
  }

  private Periodic() {}

  static void schedule(String kind, String tag) {
    AtomicBoolean ran = new AtomicBoolean();
    Runnable firstRunCallsOut =
        () -> {
          if (ran.compareAndSet(false, true)) {
            Outbound.call(tag);
          }
        };
    switch (kind) {
      case "fixed-rate" -> JDK.scheduleAtFixedRate(firstRunCallsOut, 0, 1, TimeUnit.HOURS);
      case "fixed-delay" -> JDK.scheduleWithFixedDelay(firstRunCallsOut, 0, 1, TimeUnit.HOURS);
      case "timer" ->
          TIMER.schedule(
              new TimerTask() {
                @Override
                public void run() {
                  firstRunCallsOut.run();
                }
              },
              0,
              TimeUnit.HOURS.toMillis(1));
      case "spring-fixed-rate" -> SPRING.scheduleAtFixedRate(firstRunCallsOut, Duration.ofHours(1));
      case "netty-fixed-rate" -> NETTY.scheduleAtFixedRate(firstRunCallsOut, 0, 1, TimeUnit.HOURS);
      case "reactor-periodic" ->
          Schedulers.parallel().schedulePeriodically(firstRunCallsOut, 0, 1, TimeUnit.HOURS);
      default -> throw new IllegalArgumentException("unknown periodic kind " + kind);
    }
  }
}
