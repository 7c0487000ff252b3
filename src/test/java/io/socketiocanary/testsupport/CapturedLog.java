package io.socketiocanary.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What one class logs at INFO and above while a test runs: the tests' logback config passes only
 * WARN, so this lowers that class's logger to INFO and gives the level back on {@link #close}.
 */
public final class CapturedLog implements AutoCloseable {
  private final Logger logger;
  private final Level level;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private CapturedLog(Class<?> source) {
    logger = (Logger) LoggerFactory.getLogger(source);
    level = logger.getLevel();
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.INFO);
  }

  /** Starts capturing what {@code source}'s logger logs. */
  public static CapturedLog of(Class<?> source) {
    return new CapturedLog(source);
  }

  /** The events so far, oldest first; the live list, read it from the test's thread. */
  public List<ILoggingEvent> events() {
    return appender.list;
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(level);
  }
}
