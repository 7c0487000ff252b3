package io.socketiocanary.client;

import io.socketiocanary.client.polling.PollingTarget;

/**
 * What one target's canaries connect with, both on the agent's own Netty event loops: polling
 * requests ({@link PollingTarget}, a call factory per canary) and WebSockets.
 */
public record TargetClients(PollingTarget polling, WebSocketDialer webSockets) {}
