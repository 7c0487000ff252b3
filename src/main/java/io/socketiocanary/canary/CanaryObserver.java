package io.socketiocanary.canary;

import io.socketiocanary.canary.CanaryEvent.AttemptStarted;
import io.socketiocanary.canary.CanaryEvent.ConnectFailed;
import io.socketiocanary.canary.CanaryEvent.Connected;
import io.socketiocanary.canary.CanaryEvent.Disconnected;
import io.socketiocanary.canary.CanaryEvent.DrillCutNoticed;
import io.socketiocanary.canary.CanaryEvent.DrillFailed;
import io.socketiocanary.canary.CanaryEvent.DrillReconnected;
import io.socketiocanary.canary.CanaryEvent.DrillStarted;
import io.socketiocanary.canary.CanaryEvent.ProbeAcked;
import io.socketiocanary.canary.CanaryEvent.ReconnectFailed;
import io.socketiocanary.canary.CanaryEvent.RecycleReconnected;
import io.socketiocanary.canary.CanaryEvent.Recycled;
import io.socketiocanary.canary.CanaryEvent.RetryScheduled;
import io.socketiocanary.canary.CanaryEvent.ServerTimings;
import io.socketiocanary.canary.CanaryEvent.Stopped;
import io.socketiocanary.canary.CanaryEvent.TransportChanged;
import io.socketiocanary.canary.CanaryEvent.UpgradeEnded;

/**
 * Reads a canary's events; each method defaults to ignoring its event, so an observer names only
 * what it records. Called on the fleet's context, in the order the events happened.
 */
interface CanaryObserver {
  default void connected(Connected event) {}

  default void disconnected(Disconnected event) {}

  default void connectFailed(ConnectFailed event) {}

  default void attemptStarted(AttemptStarted event) {}

  default void reconnectFailed(ReconnectFailed event) {}

  default void retryScheduled(RetryScheduled event) {}

  default void drillStarted(DrillStarted event) {}

  default void drillCutNoticed(DrillCutNoticed event) {}

  default void drillFailed(DrillFailed event) {}

  default void drillReconnected(DrillReconnected event) {}

  default void recycled(Recycled event) {}

  default void recycleReconnected(RecycleReconnected event) {}

  default void serverTimings(ServerTimings event) {}

  default void transportChanged(TransportChanged event) {}

  default void upgradeEnded(UpgradeEnded event) {}

  default void probeAcked(ProbeAcked event) {}

  default void stopped(Stopped event) {}

  default void sessionJudged(CanaryEvent.SessionJudged event) {}

  default void messageReceived(CanaryEvent.MessageReceived event) {}
}
