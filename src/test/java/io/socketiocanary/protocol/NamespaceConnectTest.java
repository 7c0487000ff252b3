package io.socketiocanary.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamespaceConnectTest {
  @Test
  void theConnectPacketNamesTheNamespaceAndCarriesTheToken() {
    assertThat(NamespaceConnect.request("/", null)).isEqualTo("40");
    assertThat(NamespaceConnect.request("/chat", null)).isEqualTo("40/chat,");
    assertThat(NamespaceConnect.request("/chat", "t\"1")).isEqualTo("40/chat,{\"token\":\"t\\\"1\"}");
    assertThat(NamespaceConnect.request("/", "abc")).isEqualTo("40{\"token\":\"abc\"}");
  }

  @Test
  void namespaceRepliesAreConnectedOrCarryTheServersMessage() {
    var ok = NamespaceConnect.parseReply("40{\"sid\":\"s1\"}").orElseThrow();
    assertThat(ok.connected()).isTrue();
    assertThat(ok.namespace()).isEqualTo("/");
    var refused = NamespaceConnect.parseReply("44/chat,{\"message\":\"token expired\"}").orElseThrow();
    assertThat(refused.connected()).isFalse();
    assertThat(refused.namespace()).isEqualTo("/chat");
    assertThat(refused.message()).isEqualTo("token expired");
    assertThat(NamespaceConnect.parseReply("44/chat,not json").orElseThrow().message()).isEqualTo("not json");
    assertThat(NamespaceConnect.parseReply("42[\"event\"]")).isEmpty();
  }
}
