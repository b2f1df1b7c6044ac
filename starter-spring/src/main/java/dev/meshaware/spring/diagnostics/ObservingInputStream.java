package dev.meshaware.spring.diagnostics;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body stream the application reads, unchanged (every call goes to the client's own stream),
 * showing the bytes it returns to a {@link BodyPrefixObserver} on the way. Positions are tracked so
 * that bytes read again after {@code reset()} are not seen twice, and a skip ends the observation.
 */
final class ObservingInputStream extends FilterInputStream {
  private final BodyPrefixObserver observer;
  private long position;
  private long markPosition;

  ObservingInputStream(InputStream body, BodyPrefixObserver observer) {
    super(body);
    this.observer = observer;
  }

  /** True when this shows {@code stream}. */
  boolean wraps(InputStream stream) {
    return in == stream;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      observer.ended();
    } else {
      if (position == observer.seen()) {
        observer.passed(b);
      }
      position++;
    }
    return b;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws IOException {
    int read = in.read(bytes, offset, length);
    if (read < 0) {
      observer.ended();
    } else if (read > 0) {
      long fresh = observer.seen() - position; // bytes of this read seen before (after a reset)
      if (fresh >= 0 && fresh < read) {
        observer.passed(bytes, offset + (int) fresh, read - (int) fresh);
      }
      position += read;
    }
    return read;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(n);
    position += skipped;
    if (position > observer.seen()) {
      observer.ended(); // a gap: what follows is not the body's start
    }
    return skipped;
  }

  @Override
  public synchronized void mark(int readLimit) {
    in.mark(readLimit);
    markPosition = position;
  }

  @Override
  public synchronized void reset() throws IOException {
    in.reset();
    position = markPosition;
  }

  @Override
  public void close() throws IOException {
    try {
      in.close();
    } finally {
      observer.ended();
    }
  }
}
