package io.socketiocanary.failure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DisconnectReasonTest {
  @ParameterizedTest
  @CsvSource({
    "transport close, transport_close",
    "transport error, transport_error",
    "ping timeout, ping_timeout",
    "io server disconnect, server_disconnect",
    "io client disconnect, client_disconnect",
    "forced close, client_disconnect",
    "something new, transport_error"
  })
  void theClientsReasonTextMapsToABoundedLabel(String clientReason, String label) {
    assertThat(DisconnectReason.fromClientReason(clientReason).label()).isEqualTo(label);
  }
}
