package io.socketiocanary.cli;

import io.socketiocanary.config.ConfigException;
import io.socketiocanary.config.ConfigProblem;
import java.io.PrintWriter;

/** Prints configuration problems one per line, the way an SRE greps for them. No stack trace. */
final class ConfigErrors {
  private ConfigErrors() {}

  static void print(PrintWriter err, ConfigException e) {
    err.printf("invalid configuration (%d problem%s):%n", e.problems().size(), e.problems().size() == 1 ? "" : "s");
    for (ConfigProblem problem : e.problems()) {
      err.println(problem);
    }
    err.flush();
  }
}
