package io.socketiocanary.heap;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.heap.OldGeneration.Reading;
import org.junit.jupiter.api.Test;

class StormRoomTest {
  private static final long MB = 1 << 20;
  /**
   * The bench's mixed fleet of 5,000 right after a full collection with the image's 75 % free: 65 MB
   * live of 260 MB committed. A storm needs 2.25 × 65 = 146.25 MB of room.
   */
  private static final long LIVE = 65 * MB;
  private static final long COMMITTED = 260 * MB;

  private static Reading used(long usedMb) {
    return new Reading(usedMb * MB, COMMITTED, LIVE);
  }

  /** Canaries as the tick sees them; all connected unless a test says otherwise. */
  private static final class FakeCanaries implements QuietCollections.Canaries {
    int count;
    int connected;
    int measuring;
    int measuringAsked;

    FakeCanaries(int count, int measuring) {
      this.count = count;
      this.connected = count;
      this.measuring = measuring;
    }

    @Override
    public int count() {
      return count;
    }

    @Override
    public int connected() {
      return connected;
    }

    @Override
    public int measuring() {
      measuringAsked++;
      return measuring;
    }
  }

  /** Ticks until the policy says collect; -1 if it never does within {@code limit} ticks. */
  private static int ticksUntilCollect(StormRoom room, Reading old, FakeCanaries canaries, int limit) {
    for (int i = 1; i <= limit; i++) {
      if (room.tick(old, canaries)) {
        return i;
      }
    }
    return -1;
  }

  private static int ticksUntilCollect(StormRoom room, Reading old, int measuring, int canaries, int limit) {
    return ticksUntilCollect(room, old, new FakeCanaries(canaries, measuring), limit);
  }

  @Test
  void roomForAStormNeedsNoCollection() {
    // 260 - 70 = 190 MB of room against a need of 146.25 MB.
    assertThat(StormRoom.wantsCollection(used(70))).isFalse();
    assertThat(ticksUntilCollect(new StormRoom(), used(70), 0, 5000, 120)).isEqualTo(-1);
  }

  @Test
  void tooLittleRoomAndEnoughGarbageCollectsAfterThreeQuietTicks() {
    // 260 - 120 = 140 MB of room < 146.25; garbage 55 MB ≥ half of the live 65.
    assertThat(StormRoom.wantsCollection(used(120))).isTrue();
    StormRoom room = new StormRoom();
    assertThat(ticksUntilCollect(room, used(120), 0, 5000, 120)).isEqualTo(StormRoom.QUIET_TICKS);
    assertThat(room.reason()).isEqualTo(StormRoom.Reason.STORM_ROOM);
  }

  @Test
  void tooLittleRoomButLittleGarbageWaitsForMore() {
    // A heap committed smaller (a lower -XX:MinHeapFreeRatio, or Java 23+ near its maximum): room
    // 190 - 95 = 95 MB < 146.25, but 30 MB of garbage is less than half the live heap: too little for
    // a collection's pause to buy, and a heap kept too small for the need would collect on every tick.
    Reading tight = new Reading(95 * MB, 190 * MB, LIVE);
    assertThat(StormRoom.wantsCollection(tight)).isFalse();
  }

  @Test
  void noFullCollectionYetMeansNothingToGoBy() {
    assertThat(StormRoom.wantsCollection(new Reading(180 * MB, COMMITTED, 0))).isFalse();
  }

  @Test
  void withNoFullCollectionYetOneComesOnceCanariesAreConnectedAndQuiet() {
    // Java 23 and later with 60 canaries: the old generation grows at young collections and no full
    // collection measures the live data, so neither rule would ever apply.
    StormRoom room = new StormRoom();
    Reading neverCollected = new Reading(12 * MB, 4 * 1024 * MB, 0);
    FakeCanaries canaries = new FakeCanaries(60, 0);
    canaries.connected = 0;
    assertThat(ticksUntilCollect(room, neverCollected, canaries, 100)).as("nothing connected yet").isEqualTo(-1);
    canaries.connected = 60;
    assertThat(ticksUntilCollect(room, neverCollected, canaries, 100)).isEqualTo(StormRoom.QUIET_TICKS);
    assertThat(room.reason()).isEqualTo(StormRoom.Reason.LIVE_UNMEASURED);
  }

  @Test
  void garbageOverTheCapIsCollectedWhateverTheRoom() {
    // Java 23 and later: room up to the heap's maximum (4 GB), far more than a storm needs; the heap
    // holds 40 MB live and 29 MB of garbage, then 30 (the cap: 0.75 times the live data).
    StormRoom room = new StormRoom();
    long live = 40 * MB;
    Reading under = new Reading(69 * MB, 4 * 1024 * MB, live);
    Reading atCap = new Reading(70 * MB, 4 * 1024 * MB, live);
    assertThat(StormRoom.wantsCollection(under)).isFalse();
    assertThat(StormRoom.wantsCollection(atCap)).isTrue();
    assertThat(ticksUntilCollect(room, atCap, 0, 60, 100)).isEqualTo(StormRoom.QUIET_TICKS);
    assertThat(room.reason()).isEqualTo(StormRoom.Reason.GARBAGE_CAP);
  }

  @Test
  void aStormInProgressPostponesTheCollectionUntilThreeQuietTicksInARow() {
    StormRoom room = new StormRoom();
    FakeCanaries canaries = new FakeCanaries(5000, 4000);
    // Noisy: no collection however long.
    for (int i = 0; i < 100; i++) {
      assertThat(room.tick(used(150), canaries)).isFalse();
    }
    // Quiet for two ticks, then one canary too many, then quiet again: three more ticks.
    canaries.measuring = 50;
    assertThat(room.tick(used(150), canaries)).isFalse();
    assertThat(room.tick(used(150), canaries)).isFalse();
    canaries.measuring = 51;
    assertThat(room.tick(used(150), canaries)).isFalse();
    canaries.measuring = 50;
    assertThat(room.tick(used(150), canaries)).isFalse();
    assertThat(room.tick(used(150), canaries)).isFalse();
    assertThat(room.tick(used(150), canaries)).isTrue();
  }

  @Test
  void aLiveFigureFromBeforeMostCanariesConnectedIsMeasuredAgainAtAQuietMoment() {
    StormRoom room = new StormRoom();
    // The last full collection came at start-up, 10 MB live with nothing connected: room is ample
    // by that figure and the garbage (7 MB) under its cap, but it says nothing of 5,000 sessions.
    Reading startUp = new Reading(17 * MB, 250 * MB, 10 * MB);
    FakeCanaries canaries = new FakeCanaries(5000, 0);
    canaries.connected = 0;
    assertThat(room.tick(startUp, canaries)).isFalse();
    canaries.connected = 5000;
    assertThat(ticksUntilCollect(room, startUp, canaries, 100)).isEqualTo(StormRoom.QUIET_TICKS);
    assertThat(room.reason()).isEqualTo(StormRoom.Reason.LIVE_UNMEASURED);
    // Measured again, with everyone connected: nothing stale, room enough.
    Reading measured = new Reading(62 * MB, 250 * MB, 62 * MB);
    assertThat(ticksUntilCollect(room, measured, canaries, 100)).isEqualTo(-1);
  }

  @Test
  void aFewMoreCanariesDoNotMakeTheLiveFigureStale() {
    StormRoom room = new StormRoom();
    FakeCanaries canaries = new FakeCanaries(300, 0);
    canaries.connected = 200;
    assertThat(room.tick(used(70), canaries)).isFalse();
    canaries.connected = 249;
    assertThat(ticksUntilCollect(room, used(70), canaries, 100)).as("49 more: under the minimum of 50").isEqualTo(-1);
    canaries.connected = 250;
    assertThat(ticksUntilCollect(room, used(70), canaries, 100)).as("50 more, a quarter").isEqualTo(StormRoom.QUIET_TICKS);
  }

  @Test
  void aSmallAgentIsQuietOnlyWithNothingInFlight() {
    assertThat(ticksUntilCollect(new StormRoom(), used(150), 1, 60, 100)).isEqualTo(-1);
    assertThat(ticksUntilCollect(new StormRoom(), used(150), 0, 60, 100)).isEqualTo(StormRoom.QUIET_TICKS);
  }

  @Test
  void collectionsComeAtMostOnceInThirtyTicksWhateverTheReadings() {
    StormRoom room = new StormRoom();
    assertThat(ticksUntilCollect(room, used(150), 0, 5000, 100)).isEqualTo(StormRoom.QUIET_TICKS);
    // A reading that still asks for one (a collection that freed nothing, a heap at its limit).
    assertThat(ticksUntilCollect(room, used(150), 0, 5000, 100)).isEqualTo(StormRoom.MIN_TICKS_BETWEEN);
  }

  @Test
  void measuringIsCountedOnlyWhileACollectionIsWanted() {
    StormRoom room = new StormRoom();
    FakeCanaries canaries = new FakeCanaries(5000, 0);
    for (int i = 0; i < 10; i++) {
      room.tick(used(60), canaries);
    }
    assertThat(canaries.measuringAsked).isZero();
  }
}
