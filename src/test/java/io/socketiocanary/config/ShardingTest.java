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
    // FNV-1a is fixed by definition: these values must never change, or targets would move.
    assertThat(ShardSettings.shardOf("chat", 2)).isEqualTo(ShardSettings.shardOf("chat", 2));
    assertThat(IntStream.range(0, 5).map(i -> ShardSettings.shardOf("t" + i, 4)).toArray())
        .containsExactly(expectedShards());
  }

  private static int[] expectedShards() {
    int[] shards = new int[5];
    for (int i = 0; i < 5; i++) {
      int hash = 0x811c9dc5;
      for (byte b : ("t" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
        hash = (hash ^ (b & 0xff)) * 0x01000193;
      }
      shards[i] = Integer.remainderUnsigned(hash, 4);
    }
    return shards;
  }

  @Test
  void withoutShardingAnAgentWatchesEverythingAndVantageComesFromTheEnvironment() throws Exception {
    AgentConfig config = ConfigLoader.load(config(3), Map.of("CANARY_VANTAGE", "eu-west-1a"));
    assertThat(config.ownTargets()).hasSize(3);
    assertThat(config.vantage()).isEqualTo("eu-west-1a");
  }
}
