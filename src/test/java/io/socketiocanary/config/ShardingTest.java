package io.socketiocanary.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardingTest {
  private static final int[] PINNED_4 = {3, 1, 0, 1, 1, 0, 2, 0};
  private static final int PINNED_CHAT_3 = 0;

  @TempDir Path dir;

  private Path config(int targets) throws IOException {
    StringBuilder text = new StringBuilder("canary { targets = [\n");
    IntStream.range(0, targets).forEach(i ->
        text.append("  { name = \"t").append(i).append("\", url = \"http://127.0.0.1:1\" }\n"));
    return Files.writeString(dir.resolve("canary.conf"), text.append("] }\n").toString());
  }

  @Test
  void shardsFromTheEnvironmentSplitTheTargetsWithoutOverlapOrGap() throws Exception {
    Path file = config(40);
    Set<String> seen = new HashSet<>();
    for (int ordinal = 0; ordinal < 3; ordinal++) {
      AgentConfig config = ConfigLoader.load(file,
          Map.of("CANARY_SHARD_COUNT", "3", "CANARY_SHARD_ORDINAL", Integer.toString(ordinal)));
      List<String> mine = config.ownTargets().stream().map(TargetConfig::name).toList();
      assertThat(mine).as("shard %d", ordinal).isNotEmpty();
      assertThat(seen).as("shard %d overlaps", ordinal).doesNotContainAnyElementsOf(mine);
      seen.addAll(mine);
    }
    assertThat(seen).hasSize(40);
  }

  @Test
  void theAssignmentIsStableAcrossRunsAndVersions() {
    // Pinned: if these change, every sharded deployment moves its targets on upgrade.
    assertThat(IntStream.range(0, 8).map(i -> ShardSettings.shardOf("t" + i, 4)).toArray())
        .containsExactly(PINNED_4);
    assertThat(ShardSettings.shardOf("chat", 3)).isEqualTo(PINNED_CHAT_3);
  }

  @Test
  void addingAShardMovesOnlyTheTargetsTheNewShardWins() {
    for (int n : new int[] {3, 10}) {
      int targets = 10_000;
      int moved = 0;
      for (int i = 0; i < targets; i++) {
        String name = "target-" + i;
        int before = ShardSettings.shardOf(name, n);
        int after = ShardSettings.shardOf(name, n + 1);
        if (before != after) {
          // Rendezvous: a target only ever moves to the new shard, never between old ones.
          assertThat(after).as("%s moved from %d to an old shard", name, before).isEqualTo(n);
          moved++;
        }
      }
      double fraction = moved / (double) targets;
      System.out.printf("sharding %d -> %d: %.4f of %d targets moved (ideal %.4f)%n",
          n, n + 1, fraction, targets, 1.0 / (n + 1));
      assertThat(fraction).as("moved fraction %d -> %d", n, n + 1).isLessThanOrEqualTo(1.5 / (n + 1));
      // And the new shard really takes its share: not a hash that never moves anything.
      assertThat(fraction).as("moved fraction %d -> %d", n, n + 1).isGreaterThanOrEqualTo(0.5 / (n + 1));
    }
  }

  @Test
  void shardsAreBalanced() {
    int[] counts = new int[10];
    IntStream.range(0, 10_000).forEach(i -> counts[ShardSettings.shardOf("target-" + i, 10)]++);
    assertThat(java.util.Arrays.stream(counts).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(800, 1200));
  }

  @Test
  void withoutShardingAnAgentWatchesEverythingAndVantageComesFromTheEnvironment() throws Exception {
    AgentConfig config = ConfigLoader.load(config(3), Map.of("CANARY_VANTAGE", "eu-west-1a"));
    assertThat(config.ownTargets()).hasSize(3);
    assertThat(config.vantage()).isEqualTo("eu-west-1a");
  }
}
