package io.socketiocanary.client;

/**
 * What a {@link CanaryConnection} reports. Every method is called on the Socket.IO client's one
 * shared EventThread: implementations must not block and should hand state changes to the
 * thread that owns them. Each call carries {@code nanoTime}, read from the monotonic clock when
 * the client delivered the event, so queueing delays do not distort measurements.
 */
public interface ConnectionListener {
  /** The namespace is connected. */
  void onConnect(long nanoTime, String transport);

  /** The namespace was connected and no longer is; {@code reason} is the client's reason text. */
  void onDisconnect(long nanoTime, String reason);

  /** A connect or reconnect attempt failed. */
  void onConnectError(long nanoTime, ConnectFailure failure);

  /** The client starts a reconnect attempt after its backoff delay. */
  void onReconnectAttempt(long nanoTime, int attempt);

  /** The client exhausted its reconnection attempts and stopped. */
  void onReconnectFailed(long nanoTime);

  /** The Engine.IO handshake completed; timings are the server's, in milliseconds. */
  void onHandshake(long nanoTime, long pingIntervalMillis, long pingTimeoutMillis);

  /** The engine now carries the connection over {@code transport} ("polling" or "websocket"). */
  void onTransport(long nanoTime, String transport);

  /** A polling → WebSocket upgrade succeeded or failed. */
  void onUpgrade(long nanoTime, boolean success);

  /**
   * Just before {@link #onConnect}: what the connect was for connection state recovery (first,
   * recovered, new session, …). Only connections built with a recovery hook report it.
   */
  default void onRecovery(long nanoTime, io.socketiocanary.client.recovery.RecoveryOutcome outcome) {}

  /**
   * The target's subscribed event arrived; {@code args} are its arguments, {@code replayed} says
   * it came with a restored session (before the CONNECT answer).
   */
  default void onSubscribedEvent(long nanoTime, org.json.JSONArray args, boolean replayed) {}
}
