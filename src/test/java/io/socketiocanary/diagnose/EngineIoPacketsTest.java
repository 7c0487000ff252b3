package io.socketiocanary.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.diagnose.EngineIoPackets.OpenPacket;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineIoPacketsTest {
  @Test
  void anOpenPacketGivesSidPingSettingsUpgradesAndMaxPayload() {
    OpenPacket open = EngineIoPackets.parseOpen("0{\"sid\":\"abc\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,"
        + "\"pingTimeout\":20000,\"maxPayload\":1000000}").orElseThrow();
    assertThat(open).isEqualTo(new OpenPacket("abc", 25000, 20000, List.of("websocket"), 1000000));
  }

  @Test
  void somethingElseIsNoOpenPacket() {
    assertThat(EngineIoPackets.parseOpen("40{\"sid\":\"x\"}")).isEmpty();
    assertThat(EngineIoPackets.parseOpen("0{not json")).isEmpty();
    assertThat(EngineIoPackets.parseOpen("0{\"sid\":\"x\"}")).as("no ping settings").isEmpty();
    assertThat(EngineIoPackets.parseOpen(null)).isEmpty();
  }

  @Test
  void aPollingPayloadSplitsAndJoinsOnTheRecordSeparator() {
    assertThat(EngineIoPackets.splitPayload("40{\"sid\":\"a\"}\u001e2\u001e6")).containsExactly("40{\"sid\":\"a\"}", "2", "6");
    assertThat(EngineIoPackets.splitPayload("")).isEmpty();
    assertThat(EngineIoPackets.joinPayload(List.of("2", "3"))).isEqualTo("2\u001e3");
  }

  @Test
  void anEngineIo3PayloadIsRecognisedByItsLengthPrefix() {
    assertThat(EngineIoPackets.looksLikeEngineIo3("96:0{\"sid\":\"x\",\"pingInterval\":25000}2:40")).isTrue();
    assertThat(EngineIoPackets.looksLikeEngineIo3("0{\"sid\":\"x\"}")).isFalse();
  }

  @Test
  void engineIoErrorBodiesAreDecodedWithTheMeaningOfTheirCode() {
    var error = EngineIoPackets.parseError("{\"code\":1,\"message\":\"Session ID unknown\"}").orElseThrow();
    assertThat(error.code()).isEqualTo(1);
    assertThat(error.toString()).isEqualTo("Engine.IO error 1 (Session ID unknown): Session ID unknown");
    assertThat(List.of(0, 2, 3, 4, 5).stream().map(c -> new EngineIoPackets.ErrorBody(c, "").meaning()))
        .containsExactly("Transport unknown", "Bad handshake method", "Bad request", "Forbidden",
            "Unsupported protocol version");
    assertThat(EngineIoPackets.parseError("<html>502 Bad Gateway</html>")).isEmpty();
    assertThat(EngineIoPackets.parseError("{\"message\":\"no code\"}")).isEmpty();
  }

  @Test
  void theConnectPacketNamesTheNamespaceAndCarriesTheToken() {
    assertThat(EngineIoPackets.connectPacket("/", null)).isEqualTo("40");
    assertThat(EngineIoPackets.connectPacket("/chat", null)).isEqualTo("40/chat,");
    assertThat(EngineIoPackets.connectPacket("/chat", "t\"1")).isEqualTo("40/chat,{\"token\":\"t\\\"1\"}");
    assertThat(EngineIoPackets.connectPacket("/", "abc")).isEqualTo("40{\"token\":\"abc\"}");
  }

  @Test
  void namespaceRepliesAreConnectedOrCarryTheServersMessage() {
    var ok = EngineIoPackets.parseNamespaceReply("40{\"sid\":\"s1\"}").orElseThrow();
    assertThat(ok.connected()).isTrue();
    assertThat(ok.namespace()).isEqualTo("/");
    var refused = EngineIoPackets.parseNamespaceReply("44/chat,{\"message\":\"token expired\"}").orElseThrow();
    assertThat(refused.connected()).isFalse();
    assertThat(refused.namespace()).isEqualTo("/chat");
    assertThat(refused.message()).isEqualTo("token expired");
    assertThat(EngineIoPackets.parseNamespaceReply("42[\"event\"]")).isEmpty();
  }
}
