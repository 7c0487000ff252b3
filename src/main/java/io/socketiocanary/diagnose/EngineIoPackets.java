package io.socketiocanary.diagnose;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The few Engine.IO v4 / Socket.IO v5 wire formats the diagnosis speaks, as pure functions:
 * the open packet, the polling payload separator, Engine.IO error bodies and namespace packets.
 * Stateless and thread-safe.
 */
public final class EngineIoPackets {
  /** Engine.IO v4 joins the packets of one polling payload with the record separator. */
  public static final char SEPARATOR = '\u001e';
  /** Engine.IO 3 frames a polling payload as {@code <length>:<packet>}, for example {@code 96:0{…}2:40}. */
  private static final Pattern EIO3_PAYLOAD = Pattern.compile("^\\d+:\\d");

  /** The server's handshake: {@code 0{"sid":…,"upgrades":[…],"pingInterval":…,"pingTimeout":…,"maxPayload":…}}. */
  public record OpenPacket(String sid, long pingInterval, long pingTimeout, List<String> upgrades, long maxPayload) {
    public OpenPacket {
      upgrades = List.copyOf(upgrades);
    }
  }

  /** Engine.IO's JSON error body {@code {"code":N,"message":"…"}}. */
  public record ErrorBody(int code, String message) {
    /** What the code means, in Engine.IO's own words. */
    public String meaning() {
      return switch (code) {
        case 0 -> "Transport unknown";
        case 1 -> "Session ID unknown";
        case 2 -> "Bad handshake method";
        case 3 -> "Bad request";
        case 4 -> "Forbidden";
        case 5 -> "Unsupported protocol version";
        default -> "unknown code";
      };
    }

    @Override
    public String toString() {
      return "Engine.IO error " + code + " (" + meaning() + "): " + message;
    }
  }

  /** A Socket.IO namespace answer: {@code 40[/ns,]{"sid":…}} or {@code 44[/ns,]{"message":…}}. */
  public record NamespaceReply(boolean connected, String namespace, JsonObject data) {
    public String message() {
      return data == null ? "" : data.getString("message", "");
    }
  }

  private EngineIoPackets() {}

  /** Splits a polling payload into its packets. */
  public static List<String> splitPayload(String payload) {
    if (payload.isEmpty()) {
      return List.of();
    }
    return new ArrayList<>(Arrays.asList(payload.split(String.valueOf(SEPARATOR), -1)));
  }

  /** Joins packets into one polling payload. */
  public static String joinPayload(List<String> packets) {
    return String.join(String.valueOf(SEPARATOR), packets);
  }

  /** The open packet, if {@code packet} is one with at least a sid and the ping settings. */
  public static Optional<OpenPacket> parseOpen(String packet) {
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

  /** True when a polling body is framed the Engine.IO 3 way (a Socket.IO v2 server). */
  public static boolean looksLikeEngineIo3(String body) {
    return body != null && EIO3_PAYLOAD.matcher(body).find();
  }

  /** The Engine.IO error in an HTTP error body, if it is one. */
  public static Optional<ErrorBody> parseError(String body) {
    if (body == null || !body.strip().startsWith("{")) {
      return Optional.empty();
    }
    try {
      JsonObject json = new JsonObject(body.strip());
      Number code = json.getNumber("code");
      if (code == null) {
        return Optional.empty();
      }
      return Optional.of(new ErrorBody(code.intValue(), json.getString("message", "")));
    } catch (DecodeException | ClassCastException e) {
      return Optional.empty();
    }
  }

  /** The Socket.IO CONNECT packet for {@code namespace}, with {@code {"token":…}} when a token is given. */
  public static String connectPacket(String namespace, String token) {
    StringBuilder packet = new StringBuilder("40");
    if (!namespace.equals("/")) {
      packet.append(namespace).append(',');
    }
    if (token != null) {
      packet.append(new JsonObject().put("token", token).encode());
    }
    return packet.toString();
  }

  /** A CONNECT (40) or CONNECT_ERROR (44) packet, if {@code packet} is one. */
  public static Optional<NamespaceReply> parseNamespaceReply(String packet) {
    if (packet == null || !(packet.startsWith("40") || packet.startsWith("44"))) {
      return Optional.empty();
    }
    boolean connected = packet.charAt(1) == '0';
    String rest = packet.substring(2);
    String namespace = "/";
    if (rest.startsWith("/")) {
      int comma = rest.indexOf(',');
      namespace = comma < 0 ? rest : rest.substring(0, comma);
      rest = comma < 0 ? "" : rest.substring(comma + 1);
    }
    JsonObject data = null;
    if (!rest.isEmpty()) {
      try {
        data = new JsonObject(rest);
      } catch (DecodeException | ClassCastException e) {
        data = new JsonObject().put("message", rest);
      }
    }
    return Optional.of(new NamespaceReply(connected, namespace, data));
  }
}
