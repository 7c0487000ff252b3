package io.socketiocanary.client;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor behind OkHttp's Dispatcher: one virtual thread per call when the JVM has them
 * (Java 21+), else daemon platform threads.
 *
 * <p>Only polling runs on OkHttp (WebSockets are Netty's, {@link NettyWebSocket}): each long-poll
 * blocks its call's thread in a socket read until the server answers, up to pingInterval, which
 * parks a virtual thread without holding its carrier.
 *
 * <p>Why reflection: the agent compiles with {@code --release 17}, where {@code Thread.ofVirtual()}
 * does not exist. {@code CANARY_VIRTUAL_THREADS=false} forces platform threads (for comparing the
 * two). Thread-safe.
 */
final class DispatcherThreads {
  private static final Logger log = LoggerFactory.getLogger(DispatcherThreads.class);
  static final String THREAD_PREFIX = "canary-http-";

  private DispatcherThreads() {}

  static ExecutorService create() {
    boolean wanted = !"false".equalsIgnoreCase(System.getenv("CANARY_VIRTUAL_THREADS"));
    ExecutorService virtual = wanted ? virtualThreadPerTask() : null;
    if (virtual != null) {
      log.atInfo().addKeyValue("threads", "virtual").addKeyValue("java", Runtime.version().feature())
          .log("HTTP dispatcher runs each call on a virtual thread");
      return virtual;
    }
    log.atInfo().addKeyValue("threads", "platform").addKeyValue("java", Runtime.version().feature())
        .log("HTTP dispatcher runs each call on a platform thread (virtual threads need Java 21+)");
    AtomicInteger threads = new AtomicInteger();
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, THREAD_PREFIX + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * {@code Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("canary-http-", 1).factory())},
   * or null before Java 21.
   */
  static ExecutorService virtualThreadPerTask() {
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
      builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, THREAD_PREFIX, 1L);
      ThreadFactory factory = (ThreadFactory) ofVirtual.getMethod("factory").invoke(builder);
      // Java 19/20 have the API as a preview: creating a thread is where that fails.
      factory.newThread(() -> { });
      return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
          .invoke(null, factory);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
