package io.socketiocanary.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The recovery check's reading of events and offsets, as socket.io-client's {@code emitEvent} takes them. */
class RecoveryCheckTest {

  private static Optional<String> offsetOf(String packet, String namespace) {
    return RecoveryCheck.event(packet, namespace).flatMap(RecoveryCheck::offset);
  }

  @Test
  void theOffsetIsTheLastStringArgumentOfABroadcastEvent() {
    assertThat(offsetOf("42[\"tick\",{\"seq\":3},\"1712-0\"]", "/")).hasValue("1712-0");
    assertThat(offsetOf("42/admin,[\"tick\",{\"seq\":3},\"1712-0\"]", "/admin")).hasValue("1712-0");
  }

  @Test
  void theEventNameCountsAsAnArgumentAsInTheJsClient() {
    assertThat(offsetOf("42[\"tick\"]", "/")).hasValue("tick");
  }

  @Test
  void noOffsetWhenTheLastArgumentIsNoStringOrTheEventAsksAnAck() {
    assertThat(offsetOf("42[\"tick\",{\"seq\":3}]", "/")).isEmpty();
    assertThat(offsetOf("42[\"tick\",5]", "/")).isEmpty();
    assertThat(offsetOf("427[\"tick\",\"x\"]", "/")).isEmpty();
  }

  @Test
  void otherNamespacesPacketsAndMalformedTextAreNoEvents() {
    assertThat(RecoveryCheck.event("42/other,[\"tick\",\"x\"]", "/")).isEmpty();
    assertThat(RecoveryCheck.event("40{\"sid\":\"a\"}", "/")).isEmpty();
    assertThat(RecoveryCheck.event("43[\"x\"]", "/")).isEmpty();
    assertThat(RecoveryCheck.event("2", "/")).isEmpty();
    assertThat(RecoveryCheck.event("42[oops", "/")).isEmpty();
    assertThat(RecoveryCheck.event("42{\"a\":1}", "/")).isEmpty();
    assertThat(RecoveryCheck.event("42[\"tick\",1]", "/")).hasValue(new JsonArray().add("tick").add(1));
  }
}
