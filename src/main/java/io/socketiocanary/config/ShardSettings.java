package io.socketiocanary.config;

import java.nio.charset.StandardCharsets;

/**
 * Splitting a long target list across agents: agent {@code ordinal} of {@code count} watches the
 * targets it wins by rendezvous (highest-random-weight) hashing. Every target scores every shard
 * with a stable hash of (name, shard) and goes to the highest score, so going from N to N + 1
 * agents moves only the targets the new shard wins, about 1/(N + 1) of them, where "hash mod N"
 * moved almost all. The hash is 64-bit FNV-1a of the UTF-8 name mixed with the shard number by
 * the SplitMix64 finaliser: stable across JVMs, versions and restarts. Immutable.
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
    long nameHash = fnv1a64(name);
    int best = 0;
    long bestScore = 0;
    for (int shard = 0; shard < count; shard++) {
      long score = mix(nameHash ^ (shard * 0x9E3779B97F4A7C15L));
      // Unsigned comparison; ties (astronomically rare) go to the lower shard.
      if (shard == 0 || Long.compareUnsigned(score, bestScore) > 0) {
        best = shard;
        bestScore = score;
      }
    }
    return best;
  }

  private static long fnv1a64(String name) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  /** SplitMix64's finaliser: every input bit affects every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
