package io.socketiocanary.canary;

import io.socketiocanary.client.ConnectionListener;
import java.util.function.LongConsumer;

/**
 * What a canary needs from one client connection ({@code client.CanaryConnection} in the agent, a
 * fake in the state machine's tests). After {@link #close()} the connection delivers no event.
 */
public interface Connection {
  /** Starts connecting; the client retries by itself after transport failures. */
  void open();

  /** Disconnects cleanly and stops all retries. */
  void close();

  /** Cancels the HTTP calls still in flight a moment after {@link #close()}; returns how many. */
  int cancelCalls();

  /** Emits a probe with an ack; {@code onAck} gets the monotonic time the ack arrived. */
  void emitProbe(String event, long sequence, LongConsumer onAck);

  /** Cuts the TCP connections abruptly and fails new ones until {@link #restoreTransport()}. */
  int cutTransport();

  /** Ends the network loss {@link #cutTransport()} began. */
  void restoreTransport();

  /** Stands in while a canary holds no connection (stopped, or waiting its own backoff): does nothing. */
  Connection NONE = new Connection() {
    @Override
    public void open() {}

    @Override
    public void close() {}

    @Override
    public int cancelCalls() {
      return 0;
    }

    @Override
    public void emitProbe(String event, long sequence, LongConsumer onAck) {}

    @Override
    public int cutTransport() {
      return 0;
    }

    @Override
    public void restoreTransport() {}
  };

  /** Makes a canary's connections; each gets the listener its events go to. */
  interface Factory {
    Connection create(ConnectionListener listener);
  }
}
