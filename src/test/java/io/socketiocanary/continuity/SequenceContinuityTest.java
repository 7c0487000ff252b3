package io.socketiocanary.continuity;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.continuity.SequenceContinuity.Kind;
import io.socketiocanary.continuity.SequenceContinuity.Step;
import java.util.Map;
import java.util.Random;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

class SequenceContinuityTest {
  private final SequenceContinuity c = new SequenceContinuity();
  private long missed;
  private long replayed;

  private Step feed(long seq, boolean replay, long millis) {
    Step s = c.onEvent(seq, replay, millis * 1_000_000L);
    missed += s.missed();
    replayed += s.replayed() ? 1 : 0;
    return s;
  }

  @Test
  void aGapIsCountedMissedOnceAndTheSilenceBeforeEachArrivalIsMeasured() {
    assertThat(feed(10, false, 0).kind()).isEqualTo(Kind.FIRST);
    assertThat(feed(11, false, 1000)).isEqualTo(new Step(0, false, Kind.NEXT, 1.0));
    assertThat(feed(15, false, 4500)).isEqualTo(new Step(3, false, Kind.GAP, 3.5));
    assertThat(missed).isEqualTo(3);
  }

  @Test
  void replayedMessagesAreCountedAndFillNoGap() {
    feed(1, false, 0);
    feed(2, true, 10);
    feed(3, true, 10);
    feed(4, false, 20);
    assertThat(missed).isZero();
    assertThat(replayed).isEqualTo(2);
  }

  @Test
  void duplicatesAreIgnoredAndALateNumberIsNotCountedTwice() {
    feed(1, false, 0);
    feed(3, false, 1);
    assertThat(feed(3, true, 2).kind()).isEqualTo(Kind.DUPLICATE);
    assertThat(feed(2, false, 3).kind()).isEqualTo(Kind.LATE);
    assertThat(feed(2, false, 4).kind()).isEqualTo(Kind.DUPLICATE);
    assertThat(missed).isEqualTo(1);
    assertThat(replayed).isZero();
  }

  @Test
  void aNumberingThatStartsOverAfterANewSessionIsANewBaseline() {
    feed(500, false, 0);
    c.newSession();
    assertThat(feed(1, false, 5).kind()).isEqualTo(Kind.RESTART);
    feed(2, false, 6);
    assertThat(missed).isZero();
  }

  @Test
  void aNewSessionWhoseNumbersGoOnCountsTheGapExactly() {
    feed(5, false, 0);
    c.newSession();
    assertThat(feed(12, false, 5)).isEqualTo(new Step(6, false, Kind.GAP, 0.005));
  }

  @Test
  void numbersFarBelowTheWindowOrFarAboveAreANewNumberingNotAHugeGap() {
    feed(100_000, false, 0);
    assertThat(feed(3, false, 1).kind()).isEqualTo(Kind.RESTART);
    assertThat(feed(3 + SequenceContinuity.MAX_JUMP + 1, false, 2).kind()).isEqualTo(Kind.RESTART);
    assertThat(missed).isZero();
  }

  @Test
  void aNumberAfterAJumpLargerThanTheWindowIsNotMistakenForADuplicate() {
    feed(1, false, 0);
    feed(1 + SequenceContinuity.WINDOW * 3L, false, 1);
    assertThat(feed(2 + SequenceContinuity.WINDOW * 3L, false, 2).kind()).isEqualTo(Kind.NEXT);
  }

  @Test
  void anyStreamKeepsTheCountsConsistentInFixedMemory() {
    Random random = new Random(17);
    long t = 0;
    for (int i = 0; i < 200_000; i++) {
      long seq = switch (random.nextInt(4)) {
        case 0 -> random.nextLong();
        case 1 -> random.nextInt(10);
        default -> i;
      };
      Step s = feed(seq, random.nextBoolean(), t += random.nextInt(3));
      assertThat(s.missed()).isBetween(0L, SequenceContinuity.MAX_JUMP);
      assertThat(s.silenceSeconds()).isNotNegative();
    }
  }

  @Test
  void theNumberIsAWholeNumberFieldOfTheFirstArgument() {
    assertThat(SequenceField.read(new JSONArray().put(new JSONObject(Map.of("seq", 7))), "seq")).hasValue(7);
    assertThat(SequenceField.read(new JSONArray().put(new JSONObject(Map.of("seq", 7.0))), "seq")).hasValue(7);
    assertThat(SequenceField.read(new JSONArray().put(new JSONObject(Map.of("seq", 7.5))), "seq")).isEmpty();
    assertThat(SequenceField.read(new JSONArray().put(new JSONObject(Map.of("seq", "7"))), "seq")).isEmpty();
    assertThat(SequenceField.read(new JSONArray().put(7), "seq")).isEmpty();
    assertThat(SequenceField.read(new JSONArray(), "seq")).isEmpty();
  }
}
