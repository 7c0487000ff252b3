package io.socketiocanary.canary;

import io.socketiocanary.canary.CanaryEvent.AttemptStarted;
import io.socketiocanary.canary.CanaryEvent.ConnectFailed;
import io.socketiocanary.canary.CanaryEvent.Connected;
import io.socketiocanary.canary.CanaryEvent.Disconnected;
import io.socketiocanary.canary.CanaryEvent.DrillFailed;
import io.socketiocanary.canary.CanaryEvent.DrillReconnected;
import io.socketiocanary.canary.CanaryEvent.ProbeAcked;
import io.socketiocanary.canary.CanaryEvent.ReconnectFailed;
import io.socketiocanary.canary.CanaryEvent.Recycled;
import io.socketiocanary.canary.CanaryEvent.ServerTimings;
import io.socketiocanary.canary.CanaryEvent.UpgradeEnded;
import io.socketiocanary.failure.DisconnectReason;
import io.socketiocanary.metrics.FleetMetrics;

/**
 * Records a fleet's canary events in its meters. The connected and transport gauges are not moved
 * here: the fleet counts them from the canaries' states.
 */
final class MetricsObserver implements CanaryObserver {
  private final FleetMetrics metrics;

  MetricsObserver(FleetMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void connected(Connected event) {
    metrics.connected(event.handshake());
    event.outage().ifPresent(outage -> {
      if (event.outageOverlapsStall()) {
        // The agent stood still during the outage: its length may be the agent's, not the target's.
        metrics.reconnectExcluded();
      } else {
        metrics.reconnected(outage);
      }
    });
  }

  @Override
  public void disconnected(Disconnected event) {
    metrics.disconnected(event.reason(), event.lifetime());
    if (event.reason() == DisconnectReason.PROBE_TIMEOUT) {
      metrics.probeFailed();
    }
  }

  @Override
  public void connectFailed(ConnectFailed event) {
    metrics.connectError(event.reason());
  }

  @Override
  public void attemptStarted(AttemptStarted event) {
    if (event.reconnect()) {
      metrics.reconnectAttempt();
    }
  }

  @Override
  public void reconnectFailed(ReconnectFailed event) {
    metrics.reconnectFailed();
  }

  @Override
  public void drillFailed(DrillFailed event) {
    metrics.drillFailed();
  }

  @Override
  public void drillReconnected(DrillReconnected event) {
    if (event.inTime()) {
      metrics.drillRecovered(event.handshake(), event.sinceCut());
    }
  }

  @Override
  public void recycled(Recycled event) {
    metrics.recycled();
  }

  @Override
  public void serverTimings(ServerTimings event) {
    metrics.serverTimings(event.pingInterval(), event.pingTimeout());
  }

  @Override
  public void upgradeEnded(UpgradeEnded event) {
    metrics.upgrade(event.success());
  }

  @Override
  public void probeAcked(ProbeAcked event) {
    if (!event.overlapsStall()) {
      metrics.probeAcked(event.roundTrip());
    }
  }
}
