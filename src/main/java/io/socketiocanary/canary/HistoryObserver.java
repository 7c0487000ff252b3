package io.socketiocanary.canary;

import io.socketiocanary.canary.CanaryEvent.ConnectFailed;
import io.socketiocanary.canary.CanaryEvent.Connected;
import io.socketiocanary.canary.CanaryEvent.Disconnected;

/** Writes a fleet's organic disconnects, reconnects and connect errors into its last hour. */
final class HistoryObserver implements CanaryObserver {
  private final FleetHistory history;

  HistoryObserver(FleetHistory history) {
    this.history = history;
  }

  @Override
  public void connected(Connected event) {
    event.outage().ifPresent(outage -> history.reconnected(event.at(), event.canary(), outage));
  }

  @Override
  public void disconnected(Disconnected event) {
    history.disconnected(event.at(), event.canary(), event.reason().label(), event.lifetime());
  }

  @Override
  public void connectFailed(ConnectFailed event) {
    history.connectError(event.at(), event.canary(), event.reason().label());
  }
}
