package io.socketiocanary.diagnose;

import io.vertx.core.Future;

/**
 * One step of the diagnosis. {@link #run} is called on the diagnosis's Vert.x context and must
 * not block it; it reads what earlier checks learned from the context and records what it learns
 * for later ones. A check never fails its Future for a finding: a failure is a {@link Status#FAIL}
 * result. A failed Future is a bug, reported by {@link Diagnosis} as a failed check.
 */
public interface Check {
  String name();

  Future<CheckResult> run(DiagnosisContext context);
}
