package io.socketiocanary.canary;

import io.socketiocanary.client.ConnectionListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/** A connection whose client events the test sends through {@link #listener}; records what the canary asked. */
final class FakeConnection implements Connection {
  final ConnectionListener listener;
  boolean opened;
  boolean closed;
  int cuts;
  int restores;
  int cancelledCalls;
  final List<LongConsumer> probeAcks = new ArrayList<>();

  FakeConnection(ConnectionListener listener) {
    this.listener = listener;
  }

  @Override
  public void open() {
    opened = true;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public int cancelCalls() {
    cancelledCalls++;
    return 0;
  }

  @Override
  public void emitProbe(String event, long sequence, LongConsumer onAck) {
    probeAcks.add(onAck);
  }

  @Override
  public int cutTransport() {
    cuts++;
    return 1;
  }

  @Override
  public void restoreTransport() {
    restores++;
  }
}
