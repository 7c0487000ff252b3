/**
 * The embedded target of the built-in demo: a small Socket.IO v5 / Engine.IO v4 server and a TCP
 * proxy in front of it that cuts idle connections, the way nginx's {@code proxy_read_timeout}
 * cuts a WebSocket whose server pings less often than the timeout.
 *
 * <p>{@link io.socketiocanary.demo.DemoTarget} starts both; {@link
 * io.socketiocanary.demo.DemoSocketIoServer} and {@link io.socketiocanary.demo.IdleTimeoutProxy}
 * can also be used alone. Everything here runs on Vert.x event loops: each server deploys its own
 * verticle and keeps all its state on that verticle's context.
 */
package io.socketiocanary.demo;
