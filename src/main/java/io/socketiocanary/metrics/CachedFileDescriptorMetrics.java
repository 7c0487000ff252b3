package io.socketiocanary.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * {@code process_files_open_files} and {@code process_files_max_files}, as Micrometer's
 * FileDescriptorMetrics names them, but without counting open descriptors inside the scrape.
 *
 * <p>Why: the JDK counts them by listing {@code /proc/self/fd}, one entry per socket. With
 * 5,000 canaries that took 6–16 ms of every scrape at idle, and longer in a reconnect storm,
 * when the kernel's descriptor table is busy with thousands of sockets opening and closing. Here
 * a scrape reads the last count; a scrape that finds it older than {@link #MAX_AGE} asks for a
 * new one off the scrape path, so the figure is at most a scrape interval or two behind.
 *
 * <p>Thread-safe.
 */
final class CachedFileDescriptorMetrics implements MeterBinder {
  static final Duration MAX_AGE = Duration.ofSeconds(10);

  private final LongSupplier openCount;
  private final LongSupplier maxCount;
  private final Executor refresher;
  private final LongSupplier nanoClock;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile double open;
  private volatile long countedAtNanos;

  CachedFileDescriptorMetrics(Executor refresher) {
    this(unixBean(), refresher, System::nanoTime);
  }

  private CachedFileDescriptorMetrics(com.sun.management.UnixOperatingSystemMXBean unix, Executor refresher,
      LongSupplier nanoClock) {
    this(unix == null ? () -> -1 : unix::getOpenFileDescriptorCount,
        unix == null ? () -> -1 : unix::getMaxFileDescriptorCount, refresher, nanoClock);
  }

  CachedFileDescriptorMetrics(LongSupplier openCount, LongSupplier maxCount, Executor refresher, LongSupplier nanoClock) {
    this.openCount = openCount;
    this.maxCount = maxCount;
    this.refresher = refresher;
    this.nanoClock = nanoClock;
    count();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    if (maxCount.getAsLong() < 0) {
      return; // not a Unix JVM: Micrometer's binder registers nothing there either
    }
    // Strong references: nothing else holds this binder or its suppliers (AgentMetrics keeps none),
    // and a gauge's weakly held object, once collected, reads NaN.
    Gauge.builder("process.files.open", this, CachedFileDescriptorMetrics::open).strongReference(true)
        // Not "at most 10 s old": a scrape reads the count the previous stale scrape asked for.
        .description("The open file descriptor count (counted off the scrape path: a scrape that finds it"
            + " older than " + MAX_AGE.toSeconds() + " s gets it and asks for a new one)")
        .baseUnit("files")
        .register(registry);
    Gauge.builder("process.files.max", maxCount, s -> s.getAsLong()).strongReference(true)
        .description("The maximum file descriptor count")
        .baseUnit("files")
        .register(registry);
  }

  /** The last count; starts a new one in the background when it is stale. */
  double open() {
    if (nanoClock.getAsLong() - countedAtNanos > MAX_AGE.toNanos() && refreshing.compareAndSet(false, true)) {
      refresher.execute(() -> {
        try {
          count();
        } finally {
          refreshing.set(false);
        }
      });
    }
    return open;
  }

  private void count() {
    long n = openCount.getAsLong();
    open = n < 0 ? Double.NaN : n;
    countedAtNanos = nanoClock.getAsLong();
  }

  private static com.sun.management.UnixOperatingSystemMXBean unixBean() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix : null;
  }
}
