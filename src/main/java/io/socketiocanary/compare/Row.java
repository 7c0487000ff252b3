package io.socketiocanary.compare;

/**
 * One compared figure of one fleet. Immutable.
 *
 * @param target the {@code target} label
 * @param transport the {@code transport} label
 * @param figure what is compared, for example "disconnects/h" or "reconnect p95"
 * @param reason the {@code reason} label, "all" for the sum, "" where there is none
 * @param unit "%", "/h" or "s"
 * @param before the figure in the before window, NaN when there is none
 * @param after the figure in the after window, NaN when there is none
 * @param pValue the test's p-value, NaN when no test ran
 * @param verdict the conclusion
 * @param note why there is no verdict, or what the test saw; "" when nothing to add
 */
public record Row(String target, String transport, String figure, String reason, String unit,
    double before, double after, double pValue, Verdict verdict, String note) {

  /** The figure with its reason, as the renderers print it. */
  public String label() {
    return reason.isEmpty() ? figure : figure + " " + reason;
  }
}
