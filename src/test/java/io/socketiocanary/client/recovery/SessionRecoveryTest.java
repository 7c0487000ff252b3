package io.socketiocanary.client.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.socket.parser.Packet;
import io.socket.parser.Parser;
import io.socketiocanary.client.recovery.RecoveryOutcome.Result;
import io.socketiocanary.config.RecoveryMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** The JS client's pid/offset bookkeeping, packet by packet, as the Manager delivers them. */
class SessionRecoveryTest {
  private final Map<String, String> auth = new ConcurrentHashMap<>(Map.of("token", "t"));
  private final List<String> events = new ArrayList<>();

  private SessionRecovery recovery(RecoveryMode mode) {
    return new SessionRecovery("/", mode, auth, "tick",
        (args, replayed) -> events.add(args.opt(0) + (replayed ? " replayed" : "")));
  }

  private static Packet<JSONObject> connect(String nsp, String sid, String pid) {
    JSONObject data = new JSONObject(pid == null ? Map.of("sid", sid) : Map.of("sid", sid, "pid", pid));
    Packet<JSONObject> p = new Packet<>(Parser.CONNECT, data);
    p.nsp = nsp;
    return p;
  }

  private static Packet<JSONArray> event(int ackId, Object... args) {
    JSONArray data = new JSONArray();
    for (Object arg : args) {
      data.put(arg);
    }
    Packet<JSONArray> p = new Packet<>(Parser.EVENT, data);
    p.nsp = "/";
    p.id = ackId;
    return p;
  }

  @Test
  void thePidOfTheConnectAnswerAndTheLastStringArgumentAreSentOnReconnectAndARepeatedPidIsRecovered() {
    SessionRecovery r = recovery(RecoveryMode.AUTO);
    r.onEngineOpen();
    r.onPacket(connect("/", "s1", "p1"));
    assertThat(r.takeOutcome()).isEqualTo(new RecoveryOutcome(true, Result.FIRST, false));
    assertThat(auth).containsEntry("pid", "p1").doesNotContainKey("offset");

    r.onPacket(event(-1, "tick", 1, "o1"));
    r.onPacket(event(-1, "other", "o2"));
    r.onPacket(event(7, "asked", "not-an-offset")); // acked: its last argument is the ack
    r.onPacket(event(-1, "tick", new JSONObject(Map.of("seq", 3)))); // last argument no string
    assertThat(auth).containsEntry("offset", "o2").containsEntry("token", "t");

    r.onEngineOpen(); // reconnect: the Socket now sends {token, pid: p1, offset: o2}
    r.onPacket(event(-1, "tick", 2, "o3")); // replayed before the CONNECT answer
    r.onPacket(connect("/", "s1", "p1"));
    assertThat(r.takeOutcome()).isEqualTo(new RecoveryOutcome(true, Result.RECOVERED, true));
    assertThat(auth).containsEntry("offset", "o3");
    assertThat(events).containsExactly("1", "{\"seq\":3}", "2 replayed");
  }

  @Test
  void anotherPidIsANewSessionAndAPidWithoutAnyEventIsNoOffset() {
    SessionRecovery r = recovery(RecoveryMode.AUTO);
    r.onEngineOpen();
    r.onPacket(connect("/", "s1", "p1"));
    r.onEngineOpen();
    r.onPacket(connect("/", "s2", "p2"));
    assertThat(r.takeOutcome()).isEqualTo(new RecoveryOutcome(true, Result.NO_OFFSET, false));
    r.onPacket(event(-1, "tick", 1, "o1"));
    r.onEngineOpen();
    r.onPacket(connect("/", "s3", "p3"));
    assertThat(r.takeOutcome()).isEqualTo(new RecoveryOutcome(true, Result.NEW_SESSION, false));
    assertThat(auth).containsEntry("pid", "p3");
  }

  @Test
  void aServerWithoutRecoveryIsNotJudgedInAutoButIsANewSessionInOn() {
    SessionRecovery auto = recovery(RecoveryMode.AUTO);
    auto.onEngineOpen();
    auto.onPacket(connect("/", "s1", null));
    auto.onEngineOpen();
    auto.onPacket(connect("/", "s2", null));
    assertThat(auto.takeOutcome()).isEqualTo(new RecoveryOutcome(false, Result.NOT_JUDGED, false));
    assertThat(auth).doesNotContainKeys("pid", "offset");

    SessionRecovery on = recovery(RecoveryMode.ON);
    on.onEngineOpen();
    on.onPacket(connect("/", "s1", null));
    on.onEngineOpen();
    on.onPacket(connect("/", "s2", null));
    assertThat(on.takeOutcome()).isEqualTo(new RecoveryOutcome(false, Result.NEW_SESSION, false));
  }

  @Test
  void offNeverOffersTheSessionButStillSaysTheServerOfferedIt() {
    SessionRecovery r = recovery(RecoveryMode.OFF);
    r.onEngineOpen();
    r.onPacket(connect("/", "s1", "p1"));
    r.onPacket(event(-1, "tick", 1, "o1"));
    assertThat(auth).doesNotContainKeys("pid", "offset");
    r.onEngineOpen();
    r.onPacket(connect("/", "s2", "p2"));
    assertThat(r.takeOutcome()).isEqualTo(new RecoveryOutcome(true, Result.NOT_JUDGED, false));
  }

  @Test
  void packetsOfAnotherNamespaceAreIgnored() {
    SessionRecovery r = recovery(RecoveryMode.AUTO);
    r.onEngineOpen();
    r.onPacket(connect("/admin", "s1", "p1"));
    assertThat(r.takeOutcome()).isNull();
    assertThat(auth).doesNotContainKey("pid");
  }
}
