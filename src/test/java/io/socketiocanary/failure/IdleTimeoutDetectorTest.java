package io.socketiocanary.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdleTimeoutDetectorTest {
  private static final double FIRST = Double.NaN;
  private final IdleTimeoutDetector detector = new IdleTimeoutDetector();

  /** One generation: canary i ends its connection at lifetimes[i], having started outages[i] after its last cut. */
  private OptionalDouble generation(DisconnectReason reason, double[] outages, double... lifetimes) {
    OptionalDouble last = OptionalDouble.empty();
    for (int canary = 0; canary < lifetimes.length; canary++) {
      last = detector.disconnected(canary, reason, lifetimes[canary], outage(outages[canary]));
    }
    return last;
  }

  /** NaN in this test's tables: a first connection, no cut before it. */
  private static OptionalDouble outage(double seconds) {
    return Double.isNaN(seconds) ? OptionalDouble.empty() : OptionalDouble.of(seconds);
  }

  private static double[] firstConnections(int n) {
    double[] o = new double[n];
    java.util.Arrays.fill(o, FIRST);
    return o;
  }

  /** Reconnect delays as the client draws them: 500 ms ± 50 %, plus a 20 ms handshake. */
  private static double[] jitteredOutages(Random random, int n) {
    double[] o = new double[n];
    for (int i = 0; i < n; i++) {
      o[i] = 0.25 + 0.5 * random.nextDouble() + 0.02;
    }
    return o;
  }

  @Test
  void aFixedAgeWhateverEachConnectionsStartIsASuspectedTimeoutAtTheSecondGeneration() {
    Random random = new Random(1);
    assertThat(generation(DisconnectReason.TRANSPORT_CLOSE, firstConnections(5), 60.01, 59.98, 60.02, 60.0, 59.99))
        .isEmpty();
    double[] outages = {0.30, 0.71, 0.52, 0.44, 0.62};
    assertThat(generation(DisconnectReason.TRANSPORT_CLOSE, outages, 60.02, 59.97, 60.01, 60.0, 59.99)).hasValue(60.0);
    // And it holds generation after generation.
    for (int g = 0; g < 20; g++) {
      double[] o = jitteredOutages(random, 5);
      double[] lifetimes = new double[5];
      for (int i = 0; i < 5; i++) {
        lifetimes[i] = 60 + 0.03 * (random.nextDouble() - 0.5);
      }
      assertThat(generation(DisconnectReason.TRANSPORT_ERROR, o, lifetimes)).isPresent();
    }
  }

  @Test
  void periodicCutsOfAFleetThatReconnectsTogetherAreNotATimeout() {
    // Everything is cut every 20 s (restarts, resets): each connection lives 20 s minus the
    // outage before it. Lifetimes cluster as tightly as behind a timeout, yet it is no age limit.
    Random random = new Random(2);
    generation(DisconnectReason.TRANSPORT_ERROR, firstConnections(3), 19.9, 19.95, 19.97);
    for (int g = 0; g < 30; g++) {
      double[] o = jitteredOutages(random, 3);
      double[] lifetimes = new double[3];
      for (int i = 0; i < 3; i++) {
        // Noticed within 20 ms of the event, as canaries behind one proxy do.
        lifetimes[i] = 20 - o[i] + 0.02 * random.nextDouble();
      }
      assertThat(generation(DisconnectReason.TRANSPORT_ERROR, o, lifetimes)).as("generation %d", g).isEmpty();
    }
  }

  @Test
  void onABusyMachineNoiseOfAFewHundredMillisecondsChangesNeitherAnswer() {
    // Cuts noticed up to 200 ms late, as on two busy cores: periodic stays periodic...
    Random random = new Random(4);
    IdleTimeoutDetector periodic = new IdleTimeoutDetector();
    IdleTimeoutDetector fixed = new IdleTimeoutDetector();
    for (int i = 0; i < 3; i++) {
      periodic.disconnected(i, DisconnectReason.TRANSPORT_ERROR, 20 + 0.2 * random.nextDouble(), outage(FIRST));
      fixed.disconnected(i, DisconnectReason.TRANSPORT_ERROR, 3 + 0.2 * random.nextDouble(), outage(FIRST));
    }
    int fixedClaims = 0;
    for (int g = 0; g < 30; g++) {
      for (int i = 0; i < 3; i++) {
        double o = 0.25 + 0.5 * random.nextDouble();
        assertThat(periodic.disconnected(i, DisconnectReason.TRANSPORT_ERROR, 20 - o + 0.2 * random.nextDouble(), outage(o)))
            .as("periodic, generation %d", g).isEmpty();
        if (fixed.disconnected(i, DisconnectReason.TRANSPORT_ERROR, 3 + 0.2 * random.nextDouble(), outage(o)).isPresent()) {
          fixedClaims++;
        }
      }
    }
    // ...and a fixed age is still named nearly every time.
    assertThat(fixedClaims).as("claims in 90 cuts behind a fixed 3 s age").isGreaterThan(60);
  }

  @Test
  void periodicCutsEveryMinuteAreNotATimeoutEither() {
    Random random = new Random(3);
    generation(DisconnectReason.TRANSPORT_CLOSE, firstConnections(2), 59.9, 59.95);
    for (int g = 0; g < 40; g++) {
      double[] o = jitteredOutages(random, 2);
      assertThat(generation(DisconnectReason.TRANSPORT_CLOSE, o, 60 - o[0], 60 - o[1])).isEmpty();
    }
  }

  @Test
  void connectionsThatStartInStepProveNothingUntilTheirStartsDiffer() {
    generation(DisconnectReason.TRANSPORT_CLOSE, firstConnections(5), 30, 30, 30, 30, 30);
    double[] inStep = {0.5, 0.51, 0.5, 0.52, 0.5};
    assertThat(generation(DisconnectReason.TRANSPORT_CLOSE, inStep, 30, 30.01, 30, 30, 30.01)).isEmpty();
    double[] apart = {0.3, 0.7, 0.5, 0.6, 0.4};
    assertThat(generation(DisconnectReason.TRANSPORT_CLOSE, apart, 30, 30.01, 30, 30, 30.01)).hasValue(30.0);
  }

  @Test
  void oneRestartEndingAFleetThatConnectedTogetherIsNotATimeout() {
    assertThat(generation(DisconnectReason.TRANSPORT_ERROR, firstConnections(6), 108.2, 108.4, 108.1, 108.9, 108.5, 108.3))
        .isEmpty();
    double[] outages = {0.3, 0.7, 0.5, 0.6, 0.4, 0.45};
    assertThat(generation(DisconnectReason.TRANSPORT_ERROR, outages, 640.1, 640.3, 640.2, 640.0, 640.4, 640.2)).isEmpty();
  }

  @Test
  void fourAreNotEnough() {
    double[] outages = {0.3, 0.7, 0.5, 0.6};
    generation(DisconnectReason.TRANSPORT_ERROR, firstConnections(4), 60, 60, 60, 60);
    assertThat(generation(DisconnectReason.TRANSPORT_ERROR, outages, 60, 60, 60, 60)).isEmpty();
  }

  @Test
  void scatteredLifetimesAreNotATimeout() {
    double[] outages = {0.3, 0.7, 0.5, 0.6, 0.4};
    generation(DisconnectReason.TRANSPORT_CLOSE, firstConnections(5), 12, 60, 300, 61, 59);
    assertThat(generation(DisconnectReason.TRANSPORT_CLOSE, outages, 12, 60, 300, 61, 59)).isEmpty();
  }

  @Test
  void aPingTimeoutOrServerDisconnectBreaksThePattern() {
    double[] outages = {0.3, 0.7, 0.5, 0.6, 0.4};
    generation(DisconnectReason.TRANSPORT_CLOSE, firstConnections(5), 30, 30, 30, 30, 30);
    generation(DisconnectReason.TRANSPORT_CLOSE, outages, 30, 30, 30, 30);
    assertThat(detector.disconnected(4, DisconnectReason.PING_TIMEOUT, 30, outage(0.4))).isEmpty();
    assertThat(detector.disconnected(4, DisconnectReason.TRANSPORT_CLOSE, 30, outage(0.4)))
        .as("canary 4's previous connection ended by ping timeout: not a repeat").isEmpty();
  }

  @Test
  void thePatternIsWithdrawnWhenLifetimesSpreadAgain() {
    double[] outages = {0.3, 0.7, 0.5, 0.6, 0.4};
    generation(DisconnectReason.TRANSPORT_CLOSE, firstConnections(5), 3, 3, 3, 3, 3);
    generation(DisconnectReason.TRANSPORT_CLOSE, outages, 3, 3, 3, 3, 3);
    assertThat(detector.suspected()).hasValue(3.0);
    assertThat(detector.disconnected(0, DisconnectReason.TRANSPORT_CLOSE, 45, outage(0.5))).isEmpty();
  }
}
