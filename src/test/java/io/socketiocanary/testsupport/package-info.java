/**
 * The integration-test harness: real processes on 127.0.0.1, never mocks.
 *
 * <ul>
 *   <li>{@link io.socketiocanary.testsupport.NodeSocketIoServer}: Socket.IO 4.8 or 2.5.1 server
 *       with a control API (disconnect, cut TCP, freeze, stop pings, stats).
 *   <li>{@link io.socketiocanary.testsupport.NodeClient}: the official Node client as a reference.
 *   <li>{@link io.socketiocanary.testsupport.Nginx}, {@link io.socketiocanary.testsupport.HAProxy}:
 *       proxies with the timeouts and header choices real deployments get wrong.
 *   <li>{@link io.socketiocanary.testsupport.AgentProcess}: the packaged agent as a JVM process;
 *       {@link io.socketiocanary.testsupport.MetricsSnapshot} parses its /metrics.
 *   <li>{@link io.socketiocanary.testsupport.ManagedProcess}: one child process, stopped by pid,
 *       output in target/it-logs; {@link io.socketiocanary.testsupport.Tools}: missing tool =
 *       failure under CI=true, skip elsewhere; {@link io.socketiocanary.testsupport.FreePorts};
 *       {@link io.socketiocanary.testsupport.CapturedLog}: what one class logs, for in-process tests.
 * </ul>
 */
package io.socketiocanary.testsupport;
