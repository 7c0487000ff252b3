package io.socketiocanary.agent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP for configuration reloads. The JVM would otherwise treat SIGHUP as a request to exit;
 * {@code sun.misc.Signal} (module jdk.unsupported, kept for exactly this use) lets us take it.
 * It is reached by reflection because javac warns about every direct use of a {@code sun.*} API,
 * with no way to suppress it, and the build treats warnings as errors.
 */
final class Signals {
  private Signals() {}

  static void onHangup(Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object hangup = signal.getConstructor(String.class).newInstance("HUP");
      Object onSignal = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
          (proxy, method, args) -> {
            if (method.getName().equals("handle")) {
              action.run();
              return null;
            }
            return switch (method.getName()) {
              case "hashCode" -> System.identityHashCode(proxy);
              case "equals" -> proxy == args[0];
              default -> "SIGHUP reload handler";
            };
          });
      signal.getMethod("handle", signal, handler).invoke(null, hangup, onSignal);
    } catch (InvocationTargetException e) {
      // -Xrs, or a platform without SIGHUP: reloads still happen when the file changes.
      unavailable(e.getCause());
    } catch (ReflectiveOperationException e) {
      unavailable(e);
    }
  }

  private static void unavailable(Throwable cause) {
    LoggerFactory.getLogger(Signals.class).warn("SIGHUP reloads unavailable: {}", cause.getMessage());
  }
}
