package io.socketiocanary.agent;

import io.socketiocanary.config.AgentConfig;
import io.socketiocanary.config.ConfigException;
import io.socketiocanary.config.ConfigLoader;
import io.socketiocanary.config.ConfigProblem;
import io.micrometer.core.instrument.MeterRegistry;
import io.socketiocanary.metrics.ReloadMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies configuration changes without a restart, on SIGHUP and when the file's content changes.
 * A good config is applied ({@link Agent#apply}: only new, removed and changed fleets move); a bad
 * one is logged line by line and the running config stays. Exported as
 * {@code socketio_canary_config_last_reload_successful} and
 * {@code ..._success_timestamp_seconds}, as Prometheus exports its own reloads.
 *
 * <p>Thread confinement: reloads run one at a time on this verticle's context; requests that
 * arrive during one (any number) make one more reload after it, which reads the newest file.
 */
public final class ConfigReloader extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);
  /** How often the file is checked; a content hash, so touching it without a change is a no-op. */
  static final Duration POLL = Duration.ofSeconds(2);

  private final Path file;
  private final Function<AgentConfig, Future<Void>> apply;
  private final MeterRegistry registry;
  private ReloadMetrics metrics;
  private byte[] lastDigest;
  private boolean reloading;
  /**
   * Why a reload was asked for while one ran, or null. Such a request is kept, not dropped: the
   * running reload may have read the file before the change, and the poll has already recorded the
   * new digest (or SIGHUP announced a change the poll cannot see, in an included file).
   */
  private String requestedDuringReload;

  public ConfigReloader(Path file, Agent agent) {
    this(file, agent::apply, agent.metrics().registry());
  }

  /** {@code apply} moves the running agent to a newly loaded config ({@link Agent#apply}). */
  ConfigReloader(Path file, Function<AgentConfig, Future<Void>> apply, MeterRegistry registry) {
    this.file = file;
    this.apply = apply;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    metrics = new ReloadMetrics(registry);
    lastDigest = digest().orElse(null);
    vertx.setPeriodic(POLL.toMillis(), id -> checkFile());
    Signals.onHangup(this::hangup);
    return Future.succeededFuture();
  }

  /** What SIGHUP does; callable from any thread. */
  void hangup() {
    context.runOnContext(v -> reload("SIGHUP"));
  }

  /** Looks at the file now instead of at the next poll; callable from any thread. */
  void poll() {
    context.runOnContext(v -> checkFile());
  }

  private void checkFile() {
    byte[] now = digest().orElse(null);
    if (now != null && !Arrays.equals(now, lastDigest)) {
      lastDigest = now;
      reload("the file changed");
    }
  }

  private void reload(String why) {
    if (reloading) {
      requestedDuringReload = why;
      return;
    }
    reloading = true;
    vertx.<AgentConfig>executeBlocking(() -> ConfigLoader.load(file))
        .compose(apply)
        .onComplete(result -> {
          reloading = false;
          if (result.succeeded()) {
            log.atInfo().addKeyValue("file", file).addKeyValue("trigger", why).log("configuration reloaded");
            metrics.succeeded();
          } else {
            // Logged first: whoever sees the gauge drop finds the reasons already in the log.
            rejected(why, result.cause());
            metrics.failed();
          }
          if (requestedDuringReload != null) {
            String next = requestedDuringReload;
            requestedDuringReload = null;
            reload(next);
          }
        });
  }

  private void rejected(String why, Throwable cause) {
    if (cause instanceof ConfigException e) {
      log.atError().addKeyValue("file", file).addKeyValue("trigger", why)
          .addKeyValue("problems", e.problems().size())
          .log("new configuration rejected; the running one stays");
      for (ConfigProblem problem : e.problems()) {
        log.error("  {}", problem);
      }
    } else {
      log.atError().addKeyValue("file", file).addKeyValue("trigger", why)
          .addKeyValue("error", AgentRunner.rootMessage(cause)).log("configuration reload failed");
    }
  }

  private java.util.Optional<byte[]> digest() {
    try {
      return java.util.Optional.of(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException | NoSuchAlgorithmException e) {
      // Mid-write or briefly missing (an editor's atomic rename): look again at the next poll.
      return java.util.Optional.empty();
    }
  }
}
