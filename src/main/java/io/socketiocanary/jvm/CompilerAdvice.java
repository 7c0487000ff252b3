package io.socketiocanary.jvm;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log, once, that this agent runs enough canaries for the C2 compiler to pay while its
 * JVM runs C1 only. The image's flags stop at C1 ({@code -XX:TieredStopAtLevel=1}): at 60 canaries
 * C2 cost 1.7–1.8 times the Node client's RSS and about twice its CPU after five minutes of churn;
 * from about a thousand canaries it pays (at 5,000, idle CPU 0.6–0.9 times the Node client's where C1
 * read 1.1–1.3 times; docs/performance.md, "C2 for large fleets"). The Helm chart chooses by the
 * fleet's size itself ({@code jvm.options: auto}); a {@code docker run} or another deployment keeps
 * the image's flags, so the agent, which knows its own count, says so. Not thread-safe: the
 * agent's runner calls {@link #check} one start or reload at a time.
 */
public final class CompilerAdvice {
  private static final Logger log = LoggerFactory.getLogger(CompilerAdvice.class);
  /**
   * Canaries in one agent from which C2 pays: docs/docker.md's "a thousand or more", and the
   * default of the chart's {@code jvm.largeFleetFrom} (CompilerAdviceTest holds them together).
   */
  public static final int LARGE_FLEET_FROM = 1000;
  /** The highest tier that is still C1 (tiers 1 to 3 are C1 code, 4 is C2's). */
  private static final int LAST_C1_TIER = 3;

  private final boolean c1Only;
  private boolean advised;

  CompilerAdvice(boolean c1Only) {
    this.c1Only = c1Only;
  }

  /** For the JVM this runs in. */
  public static CompilerAdvice forThisJvm() {
    return new CompilerAdvice(c1OnlyHere());
  }

  /**
   * The agent's canary count after a start or a reload: logs the advice when the count reaches
   * {@link #LARGE_FLEET_FROM} on C1 only, once until it falls below again. True when it logged.
   */
  public boolean check(int canaries) {
    boolean applies = c1Only && canaries >= LARGE_FLEET_FROM;
    boolean logs = applies && !advised;
    advised = applies;
    if (logs) {
      log.atInfo().addKeyValue("canaries", canaries).addKeyValue("compiler", "c1")
          .log("this agent runs " + LARGE_FLEET_FROM + " canaries or more on the C1 compiler only"
              + " (-XX:TieredStopAtLevel=1, the image's flags for tens to hundreds): at this size C2 costs less"
              + " idle CPU; the Helm chart's jvm.options=auto picks it, or set JDK_JAVA_OPTIONS to the list in"
              + " docs/docker.md (\"A thousand canaries or more in one agent\")");
    }
    return logs;
  }

  /** Whether a JVM with these flags compiles with C1 only. */
  static boolean c1Only(boolean tieredCompilation, int tieredStopAtLevel) {
    // Without tiered compilation the JVM interprets and then compiles with C2 alone.
    return tieredCompilation && tieredStopAtLevel <= LAST_C1_TIER;
  }

  private static boolean c1OnlyHere() {
    try {
      HotSpotDiagnosticMXBean flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return c1Only(Boolean.parseBoolean(flags.getVMOption("TieredCompilation").getValue()),
          Integer.parseInt(flags.getVMOption("TieredStopAtLevel").getValue()));
    } catch (RuntimeException e) {
      // Not HotSpot (no such flags): nothing to advise.
      log.atDebug().addKeyValue("reason", e.toString()).log("no compiler advice");
      return false;
    }
  }
}
