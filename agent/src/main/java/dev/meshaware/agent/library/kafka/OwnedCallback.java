package dev.meshaware.agent.library.kafka;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A send's completion callback run with the headers of the request (or record) that sent it: it
 * runs on the producer's I/O thread, shared by every send, and restores that thread as it found it.
 * Kafka keeps it inside its own interceptor callback; the application never gets it back.
 */
public final class OwnedCallback implements Callback {
  private final Callback callback;
  private final CapturedHeaders owner;

  OwnedCallback(Callback callback, CapturedHeaders owner) {
    this.callback = callback;
    this.owner = owner;
  }

  @Override
  public void onCompletion(RecordMetadata metadata, Exception exception) {
    try (CurrentHeaders.Scope ignored = CurrentHeaders.open(owner)) {
      callback.onCompletion(metadata, exception);
    }
  }

  @Override
  public String toString() {
    return callback.toString();
  }
}
