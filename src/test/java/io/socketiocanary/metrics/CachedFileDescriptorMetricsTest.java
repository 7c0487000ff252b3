package io.socketiocanary.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachedFileDescriptorMetricsTest {
  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger counts = new AtomicInteger();
  private final AtomicLong open = new AtomicLong(10);
  private final List<Runnable> queued = new ArrayList<>();
  private final CachedFileDescriptorMetrics metrics = new CachedFileDescriptorMetrics(
      () -> {
        counts.incrementAndGet();
        return open.get();
      },
      () -> 65536, queued::add, now::get);

  @Test
  void aScrapeReadsTheLastCountAndNeverCountsItself() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    metrics.bindTo(registry);
    open.set(5000);
    for (int i = 0; i < 100; i++) {
      assertThat(registry.get("process.files.open").gauge().value()).isEqualTo(10);
    }
    assertThat(registry.get("process.files.max").gauge().value()).isEqualTo(65536);
    assertThat(counts).hasValue(1);
    assertThat(queued).isEmpty();
  }

  @Test
  void itsGaugesKeepReadingAfterACollectionWhenNothingElseHoldsTheBinder() {
    // As AgentMetrics binds it: no reference kept. A gauge holds its object weakly unless told
    // otherwise, so the binder and its suppliers would be collected and both gauges read NaN.
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicLong max = new AtomicLong(65536);
    new CachedFileDescriptorMetrics(open::get, max::get, Runnable::run, now::get).bindTo(registry);
    System.gc();
    assertThat(registry.get("process.files.open").gauge().value()).isEqualTo(10);
    assertThat(registry.get("process.files.max").gauge().value()).isEqualTo(65536);
  }

  @Test
  void aStaleCountIsRefreshedOnceInTheBackground() {
    open.set(5000);
    now.addAndGet(CachedFileDescriptorMetrics.MAX_AGE.toNanos() + 1);
    assertThat(metrics.open()).as("the scrape does not wait for the new count").isEqualTo(10);
    assertThat(metrics.open()).isEqualTo(10);
    assertThat(queued).as("one refresh in flight, not one per scrape").hasSize(1);
    queued.remove(0).run();
    assertThat(metrics.open()).isEqualTo(5000);
    assertThat(counts).hasValue(2);
    assertThat(queued).isEmpty();
  }
}
