package io.socketiocanary.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used, with every problem found in it, not just the first.
 * Immutable and thread-safe.
 */
// Never serialized: it does not leave the JVM, so no serialVersionUID and no Serializable problems.
@SuppressWarnings("serial")
public final class ConfigException extends Exception {
  private final List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** The problems in the order they were found, at least one. */
  public List<ConfigProblem> problems() {
    return problems;
  }
}
