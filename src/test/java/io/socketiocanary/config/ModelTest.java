package io.socketiocanary.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelTest {
  @Test
  void transportModesRoundTripThroughTheirLabels() {
    for (TransportMode mode : TransportMode.values()) {
      assertThat(TransportMode.fromLabel(mode.label())).contains(mode);
    }
    assertThat(TransportMode.POLLING_UPGRADE.label()).isEqualTo("polling_upgrade");
    assertThat(TransportMode.fromLabel("WEBSOCKET")).isEmpty();
  }

  @Test
  void aSecretPrintsRedactedAndComparesByValue() {
    Secret secret = new Secret("hunter2");

    assertThat(secret.toString()).isEqualTo("[redacted]");
    assertThat(secret.reveal()).isEqualTo("hunter2");
    assertThat(secret).isEqualTo(new Secret("hunter2")).hasSameHashCodeAs(new Secret("hunter2"));
    assertThat(secret).isNotEqualTo(new Secret("hunter3"));
    assertThat(new AuthSettings(Optional.of(secret), Optional.empty()).toString()).doesNotContain("hunter2");
  }

  @Test
  void aProblemPrintsPathMessageAndOriginOnOneLine() {
    assertThat(new ConfigProblem("targets[1].idle", "bad", "canary.conf:14"))
        .hasToString("targets[1].idle: bad (canary.conf:14)");
    assertThat(new ConfigProblem("", "syntax error: x", "canary.conf:3"))
        .hasToString("syntax error: x (canary.conf:3)");
    assertThat(new ConfigProblem("", "config file does not exist", "")).hasToString("config file does not exist");
  }

  @Test
  void anExceptionJoinsItsProblemsOnePerLine() {
    ConfigException e = new ConfigException(List.of(
        new ConfigProblem("a", "one", "f:1"), new ConfigProblem("b", "two", "f:2")));

    assertThat(e.getMessage()).isEqualTo("a: one (f:1)\nb: two (f:2)");
    assertThat(e.problems()).hasSize(2);
  }

  @Test
  void suggestionsCatchSwapsAndSmallTyposButNotUnrelatedWords() {
    List<String> keys = Rules.TARGET_KEYS;

    assertThat(Suggestions.closest("idel", keys)).contains("idle");
    assertThat(Suggestions.closest("clinets", keys)).contains("clients");
    assertThat(Suggestions.closest("connect_timeout", keys)).contains("connect-timeout");
    assertThat(Suggestions.closest("URL", keys)).contains("url");
    assertThat(Suggestions.closest("colour", keys)).isEmpty();
  }
}
