package io.socketiocanary.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ToolsTest {

  @Test
  void aMissingToolFailsUnderCiAndSkipsElsewhere() {
    Class<? extends Throwable> expected = Tools.underCi() ? AssertionFailedError.class : TestAbortedException.class;

    assertThatThrownBy(() -> Tools.require("no-such-tool-for-the-canary"))
        .isInstanceOf(expected)
        .hasMessageContaining("no-such-tool-for-the-canary")
        .hasMessageContaining("scripts/install-test-deps.sh");
  }

  @Test
  void findsAToolOnThePath() {
    assertThat(Tools.require("sh")).isExecutable();
  }
}
