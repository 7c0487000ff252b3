package io.socketiocanary.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnginePacketTest {
  @Test
  void aPollingPayloadSplitsAndJoinsOnTheRecordSeparator() {
    assertThat(EnginePacket.splitPayload("40{\"sid\":\"a\"}\u001e2\u001e6")).containsExactly("40{\"sid\":\"a\"}", "2", "6");
    assertThat(EnginePacket.splitPayload("")).isEmpty();
    assertThat(EnginePacket.joinPayload(List.of("2", "3"))).isEqualTo("2\u001e3");
  }

  @Test
  void packetsAreATypeDigitAndTheirData() {
    assertThat(EnginePacket.decodePayload("4hello\u001e2\u001e6")).containsExactly(
        EnginePacket.message("hello"), EnginePacket.PING, EnginePacket.NOOP);
    assertThat(EnginePacket.encodePayload(List.of(EnginePacket.PROBE, EnginePacket.message("x")))).isEqualTo("2probe\u001e4x");
    assertThat(EnginePacket.PROBE_ANSWER.encode()).isEqualTo("3probe");
    assertThat(EnginePacket.UPGRADE.encode()).isEqualTo("5");
  }

  @Test
  void anythingButADigitFromZeroToSixIsMalformed() {
    assertThatThrownBy(() -> EnginePacket.decode("abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EnginePacket.decode("7")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EnginePacket.decodePayload("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEngineIo3PayloadIsRecognisedByItsLengthPrefix() {
    assertThat(EnginePacket.looksLikeEngineIo3("96:0{\"sid\":\"x\",\"pingInterval\":25000}2:40")).isTrue();
    assertThat(EnginePacket.looksLikeEngineIo3("0{\"sid\":\"x\"}")).isFalse();
  }

  @Test
  void aBinaryMessageIsBase64InAPayloadAndReadsBack() {
    EnginePacket binary = EnginePacket.binaryMessage(Buffer.buffer(new byte[] {1, 2, 3, 4}));
    assertThat(binary.encode()).isEqualTo("bAQIDBA==");
    assertThat(EnginePacket.decodePayload("4hello\u001ebAQIDBA==")).containsExactly(EnginePacket.message("hello"), binary);
    assertThatThrownBy(() -> EnginePacket.decode("b!!")).isInstanceOf(IllegalArgumentException.class);
  }
}
