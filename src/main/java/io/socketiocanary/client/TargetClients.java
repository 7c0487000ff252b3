package io.socketiocanary.client;

import io.netty.channel.EventLoopGroup;
import io.socketiocanary.client.polling.PollingTarget;

/**
 * What one target's canaries connect with, both on the agent's own Netty event loops: polling
 * requests ({@link PollingTarget}, a call factory per canary) and WebSockets, and the loops whose
 * timers run its canaries' reconnect delays and connect timeouts ({@link Reconnection}).
 */
public record TargetClients(PollingTarget polling, WebSocketDialer webSockets, EventLoopGroup timers) {}
