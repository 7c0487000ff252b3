package io.socketiocanary.metrics;

/** Fixed connection counts for a fleet's gauges in tests that have no canaries. */
final class TestConnections {
  private TestConnections() {}

  /** No canary connected. */
  static final FleetMetrics.Connections NONE = fixed(0, "websocket");

  /** One canary, connected over WebSocket. */
  static final FleetMetrics.Connections ONE_ON_WEBSOCKET = fixed(1, "websocket");

  static FleetMetrics.Connections fixed(int connected, String transport) {
    return new FleetMetrics.Connections() {
      @Override
      public int connected() {
        return connected;
      }

      @Override
      public int onTransport(String name) {
        return transport.equals(name) ? connected : 0;
      }
    };
  }
}
