package dev.meshaware.core.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshaware.core.config.HttpEndpoint;
import dev.meshaware.core.testing.StuckLookup;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Name resolution for the sidecar's URLs, with a lookup function standing in for DNS: one that
 * never answers (as a name server that is down), one that fails, one that maps names to loopback.
 * No test here resolves a real name.
 */
class HostResolverTest {
  private static final HttpEndpoint NAMED = HttpEndpoint.parse("http://sidecar.test:15020/ready");
  private final StuckLookup stuck = new StuckLookup();

  @AfterEach
  void releaseStuckLookups() {
    stuck.release();
  }

  private static long in(Duration duration) {
    return System.nanoTime() + duration.toNanos();
  }

  @Test
  void givesUpAtTheDeadlineWhenTheLookupNeverAnswers() {
    HostResolver resolver = new HostResolver(stuck);
    long begun = System.nanoTime();

    assertThatThrownBy(() -> resolver.resolve(NAMED, in(Duration.ofMillis(200))))
        .isInstanceOf(HostResolver.Unresolved.class)
        .hasMessageStartingWith("DNS: no answer for sidecar.test after 0.");
    // The lookup blocks for ten minutes: returning at all is the point, not how fast.
    assertThat(Duration.ofNanos(System.nanoTime() - begun)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void waitsForTheLookupStillRunningInsteadOfStartingAnother() throws Exception {
    HostResolver resolver = new HostResolver(stuck);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> resolver.resolve(NAMED, in(Duration.ofMillis(50))))
          .hasMessageContaining("no answer");
    }
    assertThat(stuck.calls()).as("one thread per host, not one per probe").isEqualTo(1);

    // A caller that joined the lookup still running gets its answer when it comes.
    CompletableFuture<InetAddress> joined = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                joined.complete(resolver.resolve(NAMED, in(Duration.ofSeconds(30))));
              } catch (Exception e) {
                joined.completeExceptionally(e);
              }
            });
    caller.start();
    while (caller.getState() != Thread.State.TIMED_WAITING && !joined.isDone()) {
      Thread.sleep(5); // until it waits on the lookup's answer
    }
    stuck.answer(InetAddress.getByName("127.0.0.1"));
    assertThat(joined.get().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(stuck.calls()).isEqualTo(1);
  }

  @Test
  void keepsNoAnswerOnceALookupEnded() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HostResolver resolver =
        new HostResolver(
            host ->
                new InetAddress[] {
                  InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) calls.incrementAndGet()})
                });
    assertThat(resolver.resolve(NAMED, in(Duration.ofSeconds(30))).getHostAddress())
        .isEqualTo("127.0.0.1");
    assertThat(resolver.resolve(NAMED, in(Duration.ofSeconds(30))).getHostAddress())
        .as("the next call asks again")
        .isEqualTo("127.0.0.2");
  }

  @Test
  void saysUnknownHostWhenTheNameDoesNotExist() {
    HostResolver resolver =
        new HostResolver(
            host -> {
              throw new UnknownHostException(host);
            });
    assertThatThrownBy(() -> resolver.resolve(NAMED, in(Duration.ofSeconds(30))))
        .isInstanceOf(HostResolver.Unresolved.class)
        .hasMessage("DNS: unknown host sidecar.test");
  }

  @Test
  void saysNoAddressWhenTheLookupFindsNone() {
    HostResolver resolver = new HostResolver(host -> new InetAddress[0]);
    assertThatThrownBy(() -> resolver.resolve(NAMED, in(Duration.ofSeconds(30))))
        .hasMessage("DNS: no address for sidecar.test");
  }

  @Test
  void neverLooksUpAnIpAddress() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HostResolver resolver =
        new HostResolver(
            host -> {
              calls.incrementAndGet();
              throw new UnknownHostException(host);
            });
    assertThat(resolver.resolve(HttpEndpoint.parse("http://127.0.0.1:1/"), in(Duration.ZERO)))
        .isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(resolver.resolve(HttpEndpoint.parse("http://[::1]:1/"), in(Duration.ZERO)))
        .isEqualTo(InetAddress.getByName("::1"));
    assertThat(calls.get()).isZero();
  }

  @Test
  void looksUpOnADaemonThreadThatHoldsNoClassLoader() throws Exception {
    AtomicReference<Thread> thread = new AtomicReference<>();
    HostResolver resolver =
        new HostResolver(
            host -> {
              thread.set(Thread.currentThread());
              return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
            });
    resolver.resolve(NAMED, in(Duration.ofSeconds(30)));
    assertThat(thread.get().isDaemon()).as("a hanging lookup must not keep the JVM up").isTrue();
    assertThat(thread.get().getContextClassLoader()).isNull();
    assertThat(thread.get().getName()).isEqualTo("meshaware-dns sidecar.test");
  }
}
