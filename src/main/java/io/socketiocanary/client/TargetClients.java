package io.socketiocanary.client;

import okhttp3.OkHttpClient;

/**
 * What one target's canaries connect with: OkHttp for polling requests (sharing the agent's
 * dispatcher and pool), Netty for WebSockets.
 */
public record TargetClients(OkHttpClient polling, WebSocketDialer webSockets) {}
