package io.socketiocanary.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SocketIoPacketTest {
  @Test
  void namespaceAndAckIdAreWrittenOnlyWhenThereIsOne() {
    assertThat(new SocketIoPacket(SocketIoPacket.Type.EVENT, "/", -1, "[\"a\"]").encode()).isEqualTo("2[\"a\"]");
    assertThat(new SocketIoPacket(SocketIoPacket.Type.ACK, "/admin", 7, "[1]").encode()).isEqualTo("3/admin,7[1]");
  }

  @Test
  void decodingReadsNamespaceAckIdAndPayload() {
    assertThat(SocketIoPacket.decode("2/admin,7[\"probe\",1]"))
        .isEqualTo(new SocketIoPacket(SocketIoPacket.Type.EVENT, "/admin", 7, "[\"probe\",1]"));
    assertThat(SocketIoPacket.decode("0/custom")).isEqualTo(new SocketIoPacket(SocketIoPacket.Type.CONNECT, "/custom", -1, ""));
    assertThatThrownBy(() -> SocketIoPacket.decode("abc")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBinaryPacketCarriesItsAttachmentCount() {
    SocketIoPacket packet =
        SocketIoPacket.decode("52-789[\"e\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    assertThat(packet.type()).isEqualTo(SocketIoPacket.Type.BINARY_EVENT);
    assertThat(packet.attachments()).isEqualTo(2);
    assertThat(packet.ackId()).isEqualTo(789);
    assertThat(new SocketIoPacket(SocketIoPacket.Type.BINARY_ACK, "/", 789, "[]", 1).encode()).isEqualTo("61-789[]");
    assertThatThrownBy(() -> SocketIoPacket.decode("5x-[]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SocketIoPacket(SocketIoPacket.Type.EVENT, "/", -1, "[]", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
