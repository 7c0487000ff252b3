package io.socketiocanary.compare;

import java.util.Comparator;

/** One fleet: the {@code target} and {@code transport} labels. Immutable; sorts by target, then transport. */
public record FleetKey(String target, String transport) implements Comparable<FleetKey> {
  private static final Comparator<FleetKey> ORDER =
      Comparator.comparing(FleetKey::target).thenComparing(FleetKey::transport);

  static FleetKey of(PrometheusClient.Sample sample) {
    return new FleetKey(sample.label("target"), sample.label("transport"));
  }

  @Override
  public int compareTo(FleetKey other) {
    return ORDER.compare(this, other);
  }
}
