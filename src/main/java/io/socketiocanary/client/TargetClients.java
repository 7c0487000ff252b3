package io.socketiocanary.client;

import java.util.function.Supplier;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * What one target's canaries connect with: OkHttp for polling requests (sharing the agent's
 * dispatcher; {@code pools} hands each canary one of the shared connection pools), Netty for
 * WebSockets.
 */
public record TargetClients(OkHttpClient polling, Supplier<ConnectionPool> pools, WebSocketDialer webSockets) {}
