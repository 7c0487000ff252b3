package io.socketiocanary.testsupport;

/**
 * The idle-timeout detector's view of every cut, from an agent started with
 * {@code CANARY_LOG_LEVEL=DEBUG}: lifetime, outage before, the fit and its verdict. Printed when a
 * test waiting for a named timeout gives up, so the failure says which cuts the detector saw.
 */
public final class DetectorLog {
  private DetectorLog() {}

  /** Runs {@code check}; if it fails, prints the detector's lines of {@code agent} and rethrows. */
  public static void printIfFails(AgentProcess agent, Runnable check) {
    try {
      check.run();
    } catch (AssertionError | RuntimeException e) {
      agent.process().lines().stream().filter(line -> line.contains("idle-timeout detector weighed"))
          .forEach(System.out::println);
      throw e;
    }
  }
}
