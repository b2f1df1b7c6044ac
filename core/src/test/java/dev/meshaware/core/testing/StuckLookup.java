package dev.meshaware.core.testing;

import dev.meshaware.core.startup.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A name lookup standing in for a name server that does not answer: it blocks (ten minutes at most)
 * until the test answers it, and counts its calls. Nothing is resolved for real.
 */
public final class StuckLookup implements HostResolver.Lookup {
  private final AtomicInteger calls = new AtomicInteger();
  private final BlockingQueue<InetAddress> answers = new LinkedBlockingQueue<>();
  private volatile boolean released;

  @Override
  public InetAddress[] lookup(String host) throws UnknownHostException {
    calls.incrementAndGet();
    try {
      InetAddress answer = released ? null : answers.poll(10, TimeUnit.MINUTES);
      if (answer == null) {
        throw new UnknownHostException(host + " (released)");
      }
      return new InetAddress[] {answer};
    } catch (InterruptedException e) {
      throw new UnknownHostException(host + " (interrupted)");
    }
  }

  /** The next lookup (or the one blocked now) answers {@code address}. */
  public void answer(InetAddress address) {
    answers.add(address);
  }

  /** How many lookups were asked for. */
  public int calls() {
    return calls.get();
  }

  /** Ends every lookup still blocked, so no thread outlives its test. */
  public void release() {
    released = true;
    for (int i = 0; i < 16; i++) {
      answers.add(InetAddress.getLoopbackAddress());
    }
  }
}
