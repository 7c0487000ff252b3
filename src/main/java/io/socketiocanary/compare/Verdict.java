package io.socketiocanary.compare;

/** What one row of a comparison concludes. */
public enum Verdict {
  BETTER("better"),
  WORSE("worse"),
  NO_CHANGE("no significant change"),
  TOO_FEW_SAMPLES("too few samples"),
  NOT_AVAILABLE("n/a");

  private final String text;

  Verdict(String text) {
    this.text = text;
  }

  /** How the verdict reads in every output format. */
  public String text() {
    return text;
  }
}
