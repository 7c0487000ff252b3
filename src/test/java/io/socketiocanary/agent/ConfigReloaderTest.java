package io.socketiocanary.agent;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.socketiocanary.config.AgentConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change that arrives while a reload is running is applied after it, never dropped. The real
 * file, loader and Vert.x context; in place of the agent, a recorder that holds the first reload
 * open until the test lets it finish, so "during a reload" is a fact of the test, not a race.
 */
@ExtendWith(VertxExtension.class)
class ConfigReloaderTest {
  @TempDir Path dir;
  private Path file;
  private Path included;
  /** The target name of each config the reloader applied, in order. */
  private final List<String> applied = new CopyOnWriteArrayList<>();
  private volatile Promise<Void> held;
  private volatile Context reloaderContext;
  private ConfigReloader reloader;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    file = dir.resolve("canary.conf");
    included = dir.resolve("targets.conf");
    writeTarget(included, "initial");
    Files.writeString(file, "include \"targets.conf\"\n");
    reloader = new ConfigReloader(file, this::applyHoldingTheFirst, new SimpleMeterRegistry());
    vertx.deployVerticle(reloader).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFileChangeSeenDuringAReloadIsAppliedWhenThatReloadEnds() throws Exception {
    write("second");
    reloader.poll();
    await().atMost(Duration.ofSeconds(10)).until(() -> applied.equals(List.of("second")));

    write("third");
    reloader.poll();
    release();

    await().atMost(Duration.ofSeconds(10)).until(() -> applied.equals(List.of("second", "third")));
  }

  @Test
  void aHangupDuringAReloadLoadsTheConfigAgainWhenThatReloadEnds() throws Exception {
    // What SIGHUP is for: a change the file poll cannot see, in a file the config includes.
    writeTarget(included, "second");
    reloader.hangup();
    await().atMost(Duration.ofSeconds(10)).until(() -> applied.equals(List.of("second")));

    writeTarget(included, "third");
    reloader.hangup();
    release();

    await().atMost(Duration.ofSeconds(10)).until(() -> applied.equals(List.of("second", "third")));
  }

  private Future<Void> applyHoldingTheFirst(AgentConfig config) {
    applied.add(config.targets().get(0).name());
    if (applied.size() > 1) {
      return Future.succeededFuture();
    }
    reloaderContext = Vertx.currentContext();
    held = Promise.promise();
    return held.future();
  }

  /**
   * Ends the held reload on the reloader's own context: queued behind the poll or hangup the test
   * asked for just before, so that request surely arrives while the reload still runs.
   */
  private void release() {
    reloaderContext.runOnContext(v -> held.complete());
  }

  private void write(String targetName) throws IOException {
    writeTarget(file, targetName);
  }

  private static void writeTarget(Path file, String targetName) throws IOException {
    Files.writeString(file, """
        canary.targets = [{ name = "%s", url = "http://127.0.0.1:1" }]
        """.formatted(targetName));
  }
}
