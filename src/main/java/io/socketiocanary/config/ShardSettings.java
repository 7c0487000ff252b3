package io.socketiocanary.config;

import java.nio.charset.StandardCharsets;

/**
 * Splitting a long target list across agents: agent {@code ordinal} of {@code count} watches the
 * targets whose stable hash of the name, modulo {@code count}, is {@code ordinal}. The hash is
 * 32-bit FNV-1a of the UTF-8 name: stable across JVMs, versions and restarts, so a target stays on
 * its shard. Immutable.
 *
 * @param count agents sharing the list (1 = no sharding)
 * @param ordinal this agent's place, 0 ≤ ordinal < count
 */
public record ShardSettings(int count, int ordinal) {
  public static final ShardSettings NONE = new ShardSettings(1, 0);

  public ShardSettings {
    if (count < 1 || ordinal < 0 || ordinal >= count) {
      throw new IllegalArgumentException("shard " + ordinal + " of " + count);
    }
  }

  /** Whether this agent watches the target called {@code name}. */
  public boolean owns(String name) {
    return shardOf(name, count) == ordinal;
  }

  static int shardOf(String name, int count) {
    int hash = 0x811c9dc5;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return Integer.remainderUnsigned(hash, count);
  }
}
