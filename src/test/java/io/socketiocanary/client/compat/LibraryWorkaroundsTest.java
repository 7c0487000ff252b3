package io.socketiocanary.client.compat;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The start-up self-check against the libraries on the class path, and how it reports a fallback. */
class LibraryWorkaroundsTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger(LibraryWorkarounds.class);
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Level level;

  @BeforeEach
  void capture() {
    events.start();
    logger.addAppender(events);
    level = logger.getLevel();
    logger.setLevel(Level.INFO);
  }

  @AfterEach
  void release() {
    logger.detachAppender(events);
    logger.setLevel(level);
  }

  @Test
  void everyWorkaroundIsActiveWithTheLibrariesWeBuildAgainst() {
    assertThat(LibraryWorkarounds.check()).allSatisfy(s -> assertThat(s.active()).as(s.name()).isTrue());
  }

  @Test
  void theLibraryVersionsComeFromTheirJars() {
    assertThat(LibraryWorkarounds.libraryVersions())
        .isEqualTo("socket.io-client 2.1.2, engine.io-client 2.1.0");
  }

  @Test
  void eachActiveWorkaroundIsOneInfoLineWithTheLibraryVersions() {
    List<LibraryWorkarounds.Status> statuses = LibraryWorkarounds.logStatus();
    assertThat(events.list).hasSize(statuses.size());
    assertThat(events.list).allSatisfy(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.INFO);
      assertThat(fields(e)).containsEntry("libraries", LibraryWorkarounds.libraryVersions());
    });
    assertThat(events.list).extracting(e -> fields(e).get("workaround")).containsExactly(
        "shared-heartbeat-scheduler", "event-thread-keep-alive", "event-thread-loop", "manager-engine-access",
        "agent-connect-timeout", "compact-emitter-maps");
  }

  @Test
  void aWorkaroundThatFellBackIsAWarnLineWithItsReason() {
    LibraryWorkarounds.log(List.of(
        new LibraryWorkarounds.Status("a", "gain", "the library's way", null),
        new LibraryWorkarounds.Status("b", "gain", "a thread per socket", "field x is gone")), "socket.io-client 9");
    assertThat(events.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO, Level.WARN);
    ILoggingEvent warn = events.list.get(1);
    assertThat(warn.getFormattedMessage()).contains("a thread per socket");
    assertThat(fields(warn)).containsEntry("workaround", "b").containsEntry("reason", "field x is gone")
        .containsEntry("libraries", "socket.io-client 9");
  }

  private static Map<String, Object> fields(ILoggingEvent e) {
    return e.getKeyValuePairs().stream().collect(Collectors.toMap(p -> p.key, p -> p.value, (a, b) -> b));
  }
}
