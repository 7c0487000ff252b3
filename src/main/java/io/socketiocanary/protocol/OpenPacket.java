package io.socketiocanary.protocol;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * The server's handshake, the Engine.IO OPEN packet:
 * {@code 0{"sid":…,"upgrades":[…],"pingInterval":…,"pingTimeout":…,"maxPayload":…}}.
 */
public record OpenPacket(String sid, long pingInterval, long pingTimeout, List<String> upgrades, long maxPayload) {
  public OpenPacket {
    upgrades = List.copyOf(upgrades);
  }

  /** The packet, its fields in engine.io's order. */
  public EnginePacket toPacket() {
    return new EnginePacket(EnginePacket.Type.OPEN, new JsonObject()
        .put("sid", sid)
        .put("upgrades", new JsonArray(upgrades))
        .put("pingInterval", pingInterval)
        .put("pingTimeout", pingTimeout)
        .put("maxPayload", maxPayload)
        .encode());
  }

  /** The open packet, if {@code packet} is one with at least a sid and the ping settings. */
  public static Optional<OpenPacket> parse(String packet) {
    if (packet == null || !packet.startsWith("0{")) {
      return Optional.empty();
    }
    try {
      JsonObject json = new JsonObject(packet.substring(1));
      String sid = json.getString("sid");
      Number interval = json.getNumber("pingInterval");
      Number timeout = json.getNumber("pingTimeout");
      if (sid == null || interval == null || timeout == null) {
        return Optional.empty();
      }
      JsonArray upgrades = json.getJsonArray("upgrades", new JsonArray());
      List<String> names = upgrades.stream().map(String::valueOf).toList();
      Number maxPayload = json.getNumber("maxPayload", 0);
      return Optional.of(new OpenPacket(sid, interval.longValue(), timeout.longValue(), names, maxPayload.longValue()));
    } catch (DecodeException | ClassCastException e) {
      return Optional.empty();
    }
  }
}
