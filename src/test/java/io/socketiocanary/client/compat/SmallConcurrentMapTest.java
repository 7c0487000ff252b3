package io.socketiocanary.client.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link SmallConcurrentMap} keeps the {@code ConcurrentMap} contract the emitters rely on, and the rest of it. */
class SmallConcurrentMapTest {

  @Test
  void putIfAbsentKeepsTheFirstValueAndGetFindsEqualKeysNotOnlyTheSameInstance() {
    SmallConcurrentMap<String, String> map = new SmallConcurrentMap<>();
    assertThat(map.putIfAbsent("open", "a")).isNull();
    assertThat(map.putIfAbsent("open", "b")).isEqualTo("a");
    String sameTextOtherInstance = new String("open");
    assertThat(map.get(sameTextOtherInstance)).isEqualTo("a");
    assertThat(map.get("close")).isNull();
    assertThat(map).hasSize(1).containsEntry("open", "a");
  }

  @Test
  void putReplaceAndRemoveHaveTheirMapMeanings() {
    SmallConcurrentMap<String, Integer> map = new SmallConcurrentMap<>();
    map.put("a", 1);
    map.put("b", 2);
    map.put("c", 3);
    assertThat(map.put("b", 20)).isEqualTo(2);
    assertThat(map.replace("a", 9, 10)).isFalse();
    assertThat(map.replace("a", 1, 10)).isTrue();
    assertThat(map.replace("zz", 5)).isNull();
    assertThat(map).doesNotContainKey("zz");
    assertThat(map.remove("c", 4)).isFalse();
    assertThat(map.remove("b")).isEqualTo(20);
    assertThat(map.remove("b")).isNull();
    assertThat(map).isEqualTo(Map.of("a", 10, "c", 3));
    assertThat(map.hashCode()).isEqualTo(Map.of("a", 10, "c", 3).hashCode());
    assertThat(map.remove("c", 3)).isTrue();
    assertThat(map.remove("a", 10)).isTrue();
    assertThat(map).isEmpty();
    map.put("x", 1);
    map.clear();
    assertThat(map.size()).isZero();
  }

  @Test
  void defaultMethodsWorkThroughTheAtomicOnes() {
    SmallConcurrentMap<String, List<String>> map = new SmallConcurrentMap<>();
    map.computeIfAbsent("k", k -> new ArrayList<>()).add("x");
    map.computeIfAbsent("k", k -> new ArrayList<>()).add("y");
    assertThat(map.get("k")).containsExactly("x", "y");
    map.merge("n", List.of("1"), (a, b) -> b);
    assertThat(map).containsKeys("k", "n");
  }

  @Test
  void nullsAreRefusedAsConcurrentHashMapRefusesThem() {
    SmallConcurrentMap<String, String> map = new SmallConcurrentMap<>();
    assertThatThrownBy(() -> map.put(null, "v")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> map.put("k", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> map.get(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void iteratorsSeeASnapshotAndRemoveOnlyWhatTheySaw() {
    SmallConcurrentMap<String, Integer> map = new SmallConcurrentMap<>(Map.of("a", 1, "b", 2));
    Iterator<Map.Entry<String, Integer>> it = map.entrySet().iterator();
    Map.Entry<String, Integer> first = it.next();
    map.put("c", 3);
    map.put(first.getKey(), 100);
    it.remove(); // the value changed since the snapshot: left in place
    assertThat(map).containsEntry(first.getKey(), 100).containsKey("c");
    Map.Entry<String, Integer> second = it.next();
    it.remove();
    assertThat(map).doesNotContainKey(second.getKey());
    assertThat(it.hasNext()).as("c came after the snapshot").isFalse();
    assertThatThrownBy(it::remove).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    SmallConcurrentMap<String, Integer> map = new SmallConcurrentMap<>();
    ConcurrentHashMap<String, Integer> expected = new ConcurrentHashMap<>();
    int threads = 4;
    int perThread = 50;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          String key = id + "-" + i;
          map.putIfAbsent(key, i);
          expected.put(key, i);
          assertThat(map.get(key)).isEqualTo(i);
        }
      });
      w.start();
      writers.add(w);
    }
    start.countDown();
    for (Thread w : writers) {
      w.join(TimeUnit.SECONDS.toMillis(10));
    }
    assertThat(map).isEqualTo(expected).hasSize(threads * perThread);
  }
}
