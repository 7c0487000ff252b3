package io.socketiocanary.canary;

import io.socketiocanary.config.TargetConfig;
import io.socketiocanary.failure.ConnectErrorClassifier;
import io.socketiocanary.selfwatch.Stalls;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * What every canary of one fleet shares. Immutable; the parts are thread-safe or, like the timers
 * and observers, confined to the fleet's context.
 *
 * @param context runs a client event on the fleet's context (the client delivers on its EventThread)
 * @param redact removes the target's secrets from a text the status API shows
 * @param observers read every canary event, in this order
 * @param agentStalls when the agent itself stood still: what overlaps a stall is not charged to
 *     the target
 */
record FleetResources(
    Timers timers,
    Executor context,
    TargetConfig target,
    Connection.Factory connections,
    ConnectErrorClassifier classifier,
    UnaryOperator<String> redact,
    List<CanaryObserver> observers,
    Stalls agentStalls) {

  FleetResources {
    observers = List.copyOf(observers);
  }
}
