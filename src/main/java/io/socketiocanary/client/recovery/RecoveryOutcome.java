package io.socketiocanary.client.recovery;

/**
 * What one namespace connect of a canary connection turned out to be. Immutable.
 *
 * @param offered whether the server's CONNECT answer carried a private session id ({@code pid}):
 *     the server offers connection state recovery
 * @param result how the connect is judged
 * @param sameSocketId whether the socket id equals the one of the previous connect
 */
public record RecoveryOutcome(boolean offered, Result result, boolean sameSocketId) {

  /** A bounded set: the values of the {@code result} label where one is counted. */
  public enum Result {
    /** The connection's first connect: nothing to recover. */
    FIRST("first"),
    /** The server restored the session: the pid it answered is the one offered. */
    RECOVERED("recovered"),
    /** A session was offered (pid and offset) and the server started a new one. */
    NEW_SESSION("new_session"),
    /**
     * A pid but no offset could be offered: no event had arrived since the session began, and
     * the server restores a session only from an offset it knows, so it starts a new one.
     */
    NO_OFFSET("no_offset"),
    /** Recovery is off for the target, or (auto) the previous connect was not offered it. */
    NOT_JUDGED("not_judged");

    private final String label;

    Result(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** Whether a reconnect with this result is counted in the recoveries metric. */
    public boolean counted() {
      return this == RECOVERED || this == NEW_SESSION || this == NO_OFFSET;
    }
  }
}
