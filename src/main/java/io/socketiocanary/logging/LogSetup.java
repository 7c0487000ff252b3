package io.socketiocanary.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The agent's logging, set up in code: one line per event on stderr with structured
 * {@code key=value} fields, {@code CANARY_LOG_LEVEL} for the level. logback finds this through
 * {@code META-INF/services} before it looks for an XML file; reading {@code logback.xml} would load
 * its XML configurator and the JDK's XML parser, about 500 classes (2 MB) for five settings.
 *
 * <p>A file named by {@code -Dlogback.configurationFile}, or a {@code logback-test.xml} on the
 * class path (the tests'), still wins: logback reads it as usual.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
  /** What each line looks like; `LogSetupTest` checks a line against it. */
  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg %kvp{NONE}%n%ex{short}";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    boolean fileGiven = System.getProperty("logback.configurationFile") != null
        || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null;
    return configure(context, fileGiven, System.getProperty("CANARY_LOG_LEVEL", System.getenv("CANARY_LOG_LEVEL")));
  }

  /**
   * @param fileGiven a configuration file to leave it to
   * @param level {@code CANARY_LOG_LEVEL} (a system property of that name first, then the
   *     environment, as logback's {@code ${CANARY_LOG_LEVEL}} was read), or null
   */
  static ExecutionStatus configure(LoggerContext context, boolean fileGiven, String level) {
    if (fileGiven) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level(level));
    root.addAppender(stderr);
    // The libraries' chatter: Netty's at WARN, Vert.x's at INFO, OkHttp's (types only) at WARN.
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("io.vertx").setLevel(Level.INFO);
    context.getLogger("okhttp3").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** INFO unless set; an unknown name is DEBUG, as logback's XML configuration reads one. */
  static Level level(String configured) {
    return configured == null || configured.isBlank() ? Level.INFO : Level.toLevel(configured.trim());
  }
}
