package io.socketiocanary.canary;

import io.socketiocanary.client.TargetClients;
import io.socketiocanary.client.TokenSource;
import io.socketiocanary.config.TargetConfig;
import io.socketiocanary.config.TransportMode;
import io.socketiocanary.failure.ConnectErrorClassifier;
import io.socketiocanary.metrics.FleetMetrics;
import io.socketiocanary.selfwatch.Stalls;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** What every canary of one fleet shares. Immutable; the parts are thread-safe. */
record FleetResources(
    Vertx vertx,
    Context context,
    TargetConfig target,
    TransportMode mode,
    FleetMetrics metrics,
    TargetClients http,
    TokenSource tokens,
    ConnectErrorClassifier classifier,
    FailureLog failureLog,
    FleetHistory history,
    IdleTimeoutWatch idleTimeoutWatch,
    Stalls agentStalls) {}
