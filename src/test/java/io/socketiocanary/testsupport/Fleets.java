package io.socketiocanary.testsupport;

import java.util.Map;

/** Label sets for asserting on one fleet's series. */
public final class Fleets {
  public static final String[] TRANSPORTS = {"websocket", "polling", "polling_upgrade"};

  private Fleets() {}

  public static Map<String, String> fleet(String target, String transport) {
    return Map.of("target", target, "transport", transport);
  }

  public static Map<String, String> fleet(String target, String transport, String reason) {
    return Map.of("target", target, "transport", transport, "reason", reason);
  }
}
