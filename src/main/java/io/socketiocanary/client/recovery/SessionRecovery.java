package io.socketiocanary.client.recovery;

import io.socket.client.Manager;
import io.socket.parser.Packet;
import io.socket.parser.Parser;
import io.socketiocanary.config.RecoveryMode;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Socket.IO connection state recovery for a client that does not implement it
 * ({@code io.socket:socket.io-client} 2.1.2 ignores the {@code pid} of the CONNECT answer and
 * never sends {@code pid}/{@code offset}), done as the official JS client does it
 * (socket.io-client {@code lib/socket.ts}):
 * <ul>
 *   <li>{@code onconnect(id, pid)}: the pid of the CONNECT answer replaces the one kept, and the
 *       connect is recovered when that pid is the one kept ({@code recovered = pid && _pid === pid});
 *   <li>{@code emitEvent}: while a pid is kept, the last argument of every event delivered, when
 *       it is a string, becomes the offset ({@code _lastOffset}). The event name counts as an
 *       argument, an acked event's last argument is the ack, and events that arrive before the
 *       CONNECT answer are delivered after it, under its pid (the server replays the missed
 *       packets before it answers CONNECT);
 *   <li>{@code _sendConnectPacket}: with a pid kept, the CONNECT packet's auth carries
 *       {@code {pid, offset}} (no offset when none is known).
 * </ul>
 * Only public hooks of the Java client are used: the Manager's {@code packet} and {@code open}
 * events (this listener is registered before the namespace Socket subscribes, so it sees each
 * packet first) and the auth map, which the Socket keeps by reference and serializes on every
 * CONNECT. {@code SessionRecoveryIT} fails if the library stops doing either.
 *
 * <p>The pid is a session secret: it is never logged, returned or put anywhere but the auth map.
 *
 * <p>Thread confinement: every method runs on the client's EventThread (the Manager emits there).
 */
public final class SessionRecovery {
  private static final String PID = "pid";
  private static final String OFFSET = "offset";

  /** Receives the subscribed event, on the EventThread. */
  public interface EventSink {
    /**
     * @param args the event's arguments (without its name)
     * @param replayed whether it arrived before the CONNECT answer, i.e. was replayed by a
     *     server restoring the session
     */
    void onEvent(JSONArray args, boolean replayed);
  }

  private final String namespace;
  private final RecoveryMode mode;
  private final Map<String, String> auth;
  private final String subscribedEvent;
  private final EventSink sink;

  private String pid;
  private String lastOffset;
  /** The last string offset of events received before this engine's CONNECT answer. */
  private String pendingOffset;
  private boolean namespaceConnected;
  private String pidSent;
  private boolean offsetSent;
  private String lastSocketId;
  private RecoveryOutcome outcome;

  /**
   * @param auth the mutable map given to the client as {@code IO.Options.auth}
   * @param subscribedEvent the event forwarded to {@code sink}, or "" for none
   */
  public SessionRecovery(String namespace, RecoveryMode mode, Map<String, String> auth, String subscribedEvent,
      EventSink sink) {
    this.namespace = namespace;
    this.mode = mode;
    this.auth = auth;
    this.subscribedEvent = subscribedEvent;
    this.sink = sink;
  }

  /** Subscribes to the Manager's events; call before the namespace Socket's first {@code connect()}. */
  public void install(Manager manager) {
    manager.on(Manager.EVENT_OPEN, args -> onEngineOpen());
    manager.on(Manager.EVENT_CLOSE, args -> namespaceConnected = false);
    manager.on(Manager.EVENT_PACKET, args -> {
      if (args.length > 0 && args[0] instanceof Packet<?> packet) {
        onPacket(packet);
      }
    });
  }

  /** The outcome of the last CONNECT answer, once: call it from the Socket's connect event. */
  public RecoveryOutcome takeOutcome() {
    RecoveryOutcome taken = outcome;
    outcome = null;
    return taken;
  }

  /** Runs just before the Socket sends its CONNECT packet (the Socket listens to the same event, later). */
  void onEngineOpen() {
    namespaceConnected = false;
    pendingOffset = null;
    pidSent = auth.get(PID);
    offsetSent = auth.containsKey(OFFSET);
  }

  void onPacket(Packet<?> packet) {
    if (!namespace.equals(packet.nsp)) {
      return;
    }
    if (packet.type == Parser.CONNECT && packet.data instanceof JSONObject data && data.has("sid")) {
      onConnectAnswer(data.optString("sid"), data.isNull(PID) ? null : data.optString(PID, null));
    } else if ((packet.type == Parser.EVENT || packet.type == Parser.BINARY_EVENT)
        && packet.data instanceof JSONArray data && data.length() > 0) {
      onEvent(data, packet.id >= 0);
    }
  }

  private void onConnectAnswer(String socketId, String answeredPid) {
    boolean offered = answeredPid != null;
    boolean recovered = offered && answeredPid.equals(pid);
    boolean sameSocketId = socketId.equals(lastSocketId);
    RecoveryOutcome.Result result;
    if (lastSocketId == null) {
      result = RecoveryOutcome.Result.FIRST;
    } else if (mode == RecoveryMode.OFF || (mode == RecoveryMode.AUTO && pidSent == null)) {
      result = RecoveryOutcome.Result.NOT_JUDGED;
    } else if (recovered) {
      result = RecoveryOutcome.Result.RECOVERED;
    } else if (pidSent != null && !offsetSent) {
      result = RecoveryOutcome.Result.NO_OFFSET;
    } else {
      result = RecoveryOutcome.Result.NEW_SESSION;
    }
    outcome = new RecoveryOutcome(offered, result, sameSocketId);
    lastSocketId = socketId;
    pid = mode == RecoveryMode.OFF ? null : answeredPid;
    namespaceConnected = true;
    if (pid != null && pendingOffset != null) {
      lastOffset = pendingOffset;
    }
    pendingOffset = null;
    writeAuth();
  }

  private void onEvent(JSONArray data, boolean acked) {
    // The client appends an ack function to an acked event's arguments: its last one is no string.
    Object last = acked ? null : data.opt(data.length() - 1);
    if (last instanceof String offset) {
      if (namespaceConnected) {
        if (pid != null) {
          lastOffset = offset;
          auth.put(OFFSET, offset);
        }
      } else {
        pendingOffset = offset;
      }
    }
    if (!subscribedEvent.isEmpty() && subscribedEvent.equals(data.opt(0))) {
      JSONArray args = new JSONArray();
      for (int i = 1; i < data.length(); i++) {
        args.put(data.opt(i));
      }
      sink.onEvent(args, !namespaceConnected);
    }
  }

  private void writeAuth() {
    if (pid == null) {
      auth.remove(PID);
      auth.remove(OFFSET);
      return;
    }
    auth.put(PID, pid);
    if (lastOffset == null) {
      auth.remove(OFFSET);
    } else {
      auth.put(OFFSET, lastOffset);
    }
  }
}
