package io.socketiocanary.compare;

/** What one row of a comparison concludes. */
public enum Verdict {
  BETTER("better"),
  WORSE("worse"),
  NO_CHANGE("no significant change"),
  TOO_FEW_SAMPLES("too few samples"),
  NOT_AVAILABLE("n/a"),
  /** Most canaries never reconnected after the marker: the after window judged the old path. */
  STALE("stale"),
  /** Most canaries reconnected after the marker: the after window went through the change. */
  FRESH("fresh");

  private final String text;

  Verdict(String text) {
    this.text = text;
  }

  /** How the verdict reads in every output format. */
  public String text() {
    return text;
  }
}
