package io.socketiocanary.canary;

import io.socketiocanary.client.CanaryConnection;
import io.socketiocanary.client.HttpClients;
import io.socketiocanary.client.TargetClients;
import io.socketiocanary.client.TokenSource;
import io.socketiocanary.config.TargetConfig;
import io.socketiocanary.config.TransportMode;
import java.util.function.LongConsumer;

/** The agent's connections for its canaries: the Socket.IO client ({@link CanaryConnection}) as a {@link Connection}. */
final class ClientConnections {
  private ClientConnections() {}

  /** Builds the target's HTTP clients (TLS, DNS) once per fleet; each canary connection uses them. */
  static Connection.Factory of(TargetConfig target, TransportMode mode, HttpClients httpClients,
      TokenSource tokens) {
    TargetClients http = httpClients.forTarget(target);
    return listener -> {
      CanaryConnection client = new CanaryConnection(target, mode, http, tokens, listener);
      return new Connection() {
        @Override
        public void open() {
          client.open();
        }

        @Override
        public void close() {
          client.close();
        }

        @Override
        public int cancelCalls() {
          return client.cancelCalls();
        }

        @Override
        public void emitProbe(String event, long sequence, LongConsumer onAck) {
          client.emitProbe(event, sequence, onAck);
        }

        @Override
        public int cutTransport() {
          return client.cutTransport();
        }

        @Override
        public void restoreTransport() {
          client.restoreTransport();
        }
      };
    };
  }
}
