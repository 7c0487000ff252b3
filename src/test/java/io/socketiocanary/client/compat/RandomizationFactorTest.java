package io.socketiocanary.client.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.socket.client.IO;
import io.socket.client.Manager;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * {@link RandomizationFactor} against socket.io-client 2.1.2: if the first test fails after a
 * library update, the Manager constructor no longer turns 0 into 0.5 and the workaround can go.
 */
class RandomizationFactorTest {
  private static Manager managerWith(double factor) {
    IO.Options options = new IO.Options();
    options.randomizationFactor = factor;
    return new Manager(URI.create("http://127.0.0.1:1"), options);
  }

  @Test
  void theManagerConstructorStillReadsZeroAsUnset() {
    assertThat(managerWith(0).randomizationFactor()).isEqualTo(0.5);
  }

  @Test
  void appliedAfterConstructionZeroMeansNoJitter() {
    Manager manager = managerWith(0);
    RandomizationFactor.apply(manager, 0);
    assertThat(manager.randomizationFactor()).isEqualTo(0.0);
  }
}
