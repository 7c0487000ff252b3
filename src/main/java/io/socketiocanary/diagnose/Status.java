package io.socketiocanary.diagnose;

/** The verdict of one check. Only {@link #FAIL} makes the diagnosis fail. */
public enum Status {
  PASS, WARN, FAIL, SKIP;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
