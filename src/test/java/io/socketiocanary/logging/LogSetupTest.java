package io.socketiocanary.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** The agent's logging as {@code logback.xml} set it up before, now in code. */
class LogSetupTest {
  @Test
  void writesOneLinePerEventToStderrWithItsKeyValueFields() {
    LoggerContext context = new LoggerContext();
    assertThat(LogSetup.configure(context, false, null)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    ConsoleAppender<?> stderr = (ConsoleAppender<?>) root.getAppender("STDERR");
    assertThat(stderr.isStarted()).isTrue();
    assertThat(stderr.getTarget()).isEqualTo("System.err");
    LoggingEvent event = new LoggingEvent(Logger.FQCN, context.getLogger("io.socketiocanary.canary.Fleet"), Level.WARN,
        "fleet down", null, null);
    event.setKeyValuePairs(List.of(new KeyValuePair("target", "chat"), new KeyValuePair("transport", "polling")));
    String line = new String(((PatternLayoutEncoder) stderr.getEncoder()).encode(event), StandardCharsets.UTF_8);
    assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) WARN  Fleet - fleet down "
        + "target=chat transport=polling\\n");
  }

  @Test
  void levelsAreInfoByDefaultCanaryLogLevelOtherwiseAndTheLibrariesQuieter() {
    LoggerContext context = new LoggerContext();
    LogSetup.configure(context, false, null);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.vertx").getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("okhttp3").getLevel()).isEqualTo(Level.WARN);

    LoggerContext debug = new LoggerContext();
    LogSetup.configure(debug, false, "debug");
    assertThat(debug.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
    assertThat(LogSetup.level(" WARN ")).isEqualTo(Level.WARN);
    assertThat(LogSetup.level("")).isEqualTo(Level.INFO);
  }

  @Test
  void aConfigurationFileOfTheUsersOrTheTestsIsLeftToLogback() {
    LoggerContext context = new LoggerContext();
    assertThat(LogSetup.configure(context, true, "DEBUG")).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
  }
}
