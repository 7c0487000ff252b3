package io.socketiocanary.canary;

import io.socketiocanary.canary.CanaryEvent.MessageReceived;
import io.socketiocanary.canary.CanaryEvent.SessionJudged;
import io.socketiocanary.metrics.RecoveryMetrics;

/** Records session recovery and message continuity events in the fleet's recovery meters. */
final class RecoveryObserver implements CanaryObserver {
  private final RecoveryMetrics metrics;

  RecoveryObserver(RecoveryMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void sessionJudged(SessionJudged event) {
    metrics.supported(event.offered());
    event.result().ifPresent(metrics::recovery);
  }

  @Override
  public void messageReceived(MessageReceived event) {
    metrics.messages(event.missed(), event.replayed(), event.silenceSeconds());
  }
}
