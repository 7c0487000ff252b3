package io.socketiocanary.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenPacketTest {
  @Test
  void anOpenPacketGivesSidPingSettingsUpgradesAndMaxPayload() {
    OpenPacket open = OpenPacket.parse("0{\"sid\":\"abc\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,"
        + "\"pingTimeout\":20000,\"maxPayload\":1000000}").orElseThrow();
    assertThat(open).isEqualTo(new OpenPacket("abc", 25000, 20000, List.of("websocket"), 1000000));
  }

  @Test
  void itIsWrittenWithItsFieldsInEngineIosOrderAndReadsBack() {
    OpenPacket open = new OpenPacket("abc", 300, 200, List.of(), 1000000);
    String text = open.toPacket().encode();
    assertThat(text).isEqualTo(
        "0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":1000000}");
    assertThat(OpenPacket.parse(text)).hasValue(open);
  }

  @Test
  void somethingElseIsNoOpenPacket() {
    assertThat(OpenPacket.parse("40{\"sid\":\"x\"}")).isEmpty();
    assertThat(OpenPacket.parse("0{not json")).isEmpty();
    assertThat(OpenPacket.parse("0{\"sid\":\"x\"}")).as("no ping settings").isEmpty();
    assertThat(OpenPacket.parse(null)).isEmpty();
  }
}
