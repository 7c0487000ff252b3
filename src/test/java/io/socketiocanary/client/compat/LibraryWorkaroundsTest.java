package io.socketiocanary.client.compat;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.socketiocanary.testsupport.CapturedLog;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The start-up self-check against the libraries on the class path, and how it reports a fallback. */
class LibraryWorkaroundsTest {
  private CapturedLog log;

  @BeforeEach
  void capture() {
    log = CapturedLog.of(LibraryWorkarounds.class);
  }

  @AfterEach
  void release() {
    log.close();
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
    assertThat(log.events()).hasSize(statuses.size());
    assertThat(log.events()).allSatisfy(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.INFO);
      assertThat(fields(e)).containsEntry("libraries", LibraryWorkarounds.libraryVersions());
    });
    assertThat(log.events()).extracting(e -> fields(e).get("workaround")).containsExactly(
        "shared-heartbeat-scheduler", "event-thread-keep-alive", "event-thread-loop", "manager-engine-access",
        "agent-connect-timeout", "compact-emitter-maps");
  }

  @Test
  void aWorkaroundThatFellBackIsAWarnLineWithItsReason() {
    LibraryWorkarounds.log(List.of(
        new LibraryWorkarounds.Status("a", "gain", "the library's way", null),
        new LibraryWorkarounds.Status("b", "gain", "a thread per socket", "field x is gone")), "socket.io-client 9");
    assertThat(log.events()).extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO, Level.WARN);
    ILoggingEvent warn = log.events().get(1);
    assertThat(warn.getFormattedMessage()).contains("a thread per socket");
    assertThat(fields(warn)).containsEntry("workaround", "b").containsEntry("reason", "field x is gone")
        .containsEntry("libraries", "socket.io-client 9");
  }

  private static Map<String, Object> fields(ILoggingEvent e) {
    return e.getKeyValuePairs().stream().collect(Collectors.toMap(p -> p.key, p -> p.value, (a, b) -> b));
  }
}
