package io.socketiocanary.selfwatch;

import java.util.List;

/**
 * The values of the {@code loop} label on {@code socketio_canary_agent_lag_seconds}: a fixed set,
 * documented in the README's metric reference.
 */
public final class LoopNames {
  private LoopNames() {}

  /** socket.io-client's one EventThread: every client event of every canary passes through it. */
  public static final String EVENT_THREAD = "event_thread";
  /** The shared Engine.IO heartbeat scheduler that arms every ping-timeout timer. */
  public static final String HEARTBEAT = "heartbeat";
  /** The agent's Vert.x event loops, where every fleet's state and timers live. */
  public static final String FLEET_EVENT_LOOP = "fleet_event_loop";
  /**
   * The Netty event loops that carry every canary's I/O, WebSocket and polling (one loop, the
   * EventThread itself, while the client library allows).
   */
  public static final String WEBSOCKET_EVENT_LOOP = "websocket_event_loop";
  /**
   * The loops every polling canary's HTTP calls wait for: the same as
   * {@link #WEBSOCKET_EVENT_LOOP}'s since polling runs on them. (The name is from the OkHttp
   * dispatcher threads that ran polling calls before; kept, as a label value is a contract.)
   */
  public static final String POLLING_DISPATCHER = "polling_dispatcher";
  /** The HTTP API's own event loop (/metrics, /api/status). */
  public static final String HTTP_API = "http_api";

  /**
   * The whole process, measured by the self-watch's own timer waking up late: a GC pause, a
   * starved or frozen JVM delays every loop at once, including those with no probe in flight.
   */
  public static final String JVM = "jvm";

  /**
   * Whether a stall of {@code loop} can delay a canary's events, so what overlaps it is not charged
   * to the target. The HTTP API runs on its own Vert.x instance: a slow scrape or a start-up stall
   * there delays no canary, and excusing targets for it would hide their real failures.
   */
  public static boolean carriesCanaries(String loop) {
    return !HTTP_API.equals(loop);
  }

  public static final List<String> ALL =
      List.of(EVENT_THREAD, HEARTBEAT, FLEET_EVENT_LOOP, WEBSOCKET_EVENT_LOOP, POLLING_DISPATCHER, HTTP_API, JVM);
}
