package dev.meshaware.core.startup;

import dev.meshaware.core.config.Durations;
import dev.meshaware.core.config.HttpEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns the host of a sidecar URL into an address within the caller's deadline. The JDK's lookup
 * takes no timeout and ignores interrupts: a name server that does not answer holds the caller for
 * as long as the system resolver retries, minutes at worst. So the lookup runs on a daemon thread
 * and the caller waits for it only as long as its deadline allows. A lookup still running when the
 * next probe comes is waited for again rather than started twice, so a resolver that hangs costs
 * one thread per host, not one per probe. Nothing is kept once a lookup ends: the next call asks
 * again (through the JDK's own cache and its TTLs). An IP address needs no lookup at all.
 */
public final class HostResolver {
  /** One name lookup: the JDK's by default; tests give one that blocks or fails. */
  @FunctionalInterface
  public interface Lookup {
    InetAddress[] lookup(String host) throws UnknownHostException;
  }

  private static final HostResolver SYSTEM = new HostResolver(InetAddress::getAllByName);

  private final Lookup lookup;
  private final ConcurrentMap<String, Running> running = new ConcurrentHashMap<>();

  /** A resolver that asks {@code lookup}, each time within the caller's deadline. */
  public HostResolver(Lookup lookup) {
    this.lookup = lookup;
  }

  /** The JDK's resolver ({@link InetAddress#getAllByName}), bounded by the caller's deadline. */
  public static HostResolver system() {
    return SYSTEM;
  }

  /** The lookup could not give an address in time; the message is a probe outcome. */
  static final class Unresolved extends IOException {
    private static final long serialVersionUID = 1L;

    Unresolved(String outcome) {
      super(outcome);
    }
  }

  /**
   * The address to dial for {@code endpoint}, waiting for DNS at most until {@code deadlineNanos}
   * ({@link System#nanoTime()}); {@link Unresolved} with the outcome otherwise.
   */
  InetAddress resolve(HttpEndpoint endpoint, long deadlineNanos) throws Unresolved {
    if (endpoint.literalAddress() != null) {
      return endpoint.literalAddress();
    }
    String host = endpoint.host();
    Running lookup = running.computeIfAbsent(host, this::start);
    try {
      InetAddress[] found =
          lookup.answer.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (found == null || found.length == 0) {
        throw new Unresolved("DNS: no address for " + host);
      }
      return found[0];
    } catch (TimeoutException e) {
      throw new Unresolved("DNS: no answer for " + host + " after " + lookup.age());
    } catch (ExecutionException e) {
      running.remove(host, lookup); // also when the thread could not start (and cannot remove it)
      Throwable cause = e.getCause();
      if (cause instanceof UnknownHostException) {
        throw new Unresolved("DNS: unknown host " + host);
      }
      throw new Unresolved("DNS: lookup of " + host + " failed (" + cause + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller sees the flag and stops waiting
      throw new Unresolved("DNS: lookup of " + host + " interrupted");
    }
  }

  private Running start(String host) {
    Running lookup = new Running();
    Thread thread =
        new Thread(
            () -> {
              InetAddress[] found = null;
              Throwable failure = null;
              try {
                found = this.lookup.lookup(host);
              } catch (Throwable t) {
                failure = t;
              }
              // Gone from the map before anyone sees the answer: whoever asks after it starts a
              // fresh lookup, so nothing is kept.
              running.remove(host, lookup);
              if (failure == null) {
                lookup.answer.complete(found);
              } else {
                lookup.answer.completeExceptionally(failure);
              }
            },
            "meshaware-dns " + host);
    thread.setDaemon(true); // a lookup that never ends must not keep the JVM alive
    thread.setContextClassLoader(null); // nor hold on to the application's class loader
    try {
      thread.start();
    } catch (Throwable t) { // no thread to be had: a failed lookup, not a failed caller
      lookup.answer.completeExceptionally(t); // (the map cannot change inside computeIfAbsent)
    }
    return lookup;
  }

  /** A lookup on its way: its answer, and since when it is awaited. */
  private static final class Running {
    final CompletableFuture<InetAddress[]> answer = new CompletableFuture<>();
    final long started = System.nanoTime();

    String age() {
      return Durations.seconds(Duration.ofNanos(System.nanoTime() - started));
    }
  }
}
