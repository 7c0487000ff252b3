package io.socketiocanary.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One Engine.IO v4 packet and its wire codec: a type digit followed by the data, or a binary
 * message (a binary WebSocket frame as is; {@code b<base64>} in a polling payload). Polling
 * payloads join packets with the record separator {@code \u001e}. Immutable and thread-safe.
 *
 * @param data the text after the type digit, empty for a binary message
 * @param binary the bytes of a binary message, or null for a text packet
 */
public record EnginePacket(Type type, String data, Buffer binary) {

  /** Packet types, in wire order: the ordinal is the digit on the wire. */
  public enum Type {
    OPEN, CLOSE, PING, PONG, MESSAGE, UPGRADE, NOOP;

    char digit() {
      return (char) ('0' + ordinal());
    }
  }

  /** Engine.IO v4 joins the packets of one polling payload with the record separator. */
  public static final char SEPARATOR = '\u001e';
  /** A binary message in a polling payload: {@code b} and the bytes in base64. */
  private static final char BINARY_PREFIX = 'b';
  /** Engine.IO 3 frames a polling payload as {@code <length>:<packet>}, for example {@code 96:0{…}2:40}. */
  private static final Pattern EIO3_PAYLOAD = Pattern.compile("^\\d+:\\d");

  public static final EnginePacket PING = new EnginePacket(Type.PING, "");
  public static final EnginePacket PONG = new EnginePacket(Type.PONG, "");
  public static final EnginePacket NOOP = new EnginePacket(Type.NOOP, "");
  public static final EnginePacket CLOSE = new EnginePacket(Type.CLOSE, "");
  public static final EnginePacket UPGRADE = new EnginePacket(Type.UPGRADE, "");
  /** The upgrade probe a client sends on the new WebSocket ({@code 2probe}), and its answer. */
  public static final EnginePacket PROBE = new EnginePacket(Type.PING, "probe");
  public static final EnginePacket PROBE_ANSWER = new EnginePacket(Type.PONG, "probe");

  public EnginePacket {
    data = data == null ? "" : data;
    if (binary != null && type != Type.MESSAGE) {
      throw new IllegalArgumentException("only a message can be binary");
    }
  }

  public EnginePacket(Type type, String data) {
    this(type, data, null);
  }

  public static EnginePacket message(String data) {
    return new EnginePacket(Type.MESSAGE, data);
  }

  public static EnginePacket binaryMessage(Buffer bytes) {
    return new EnginePacket(Type.MESSAGE, "", bytes.copy());
  }

  public boolean isBinary() {
    return binary != null;
  }

  /** The packet as polling payload text (a binary message in base64) or as a text frame. */
  public String encode() {
    return isBinary() ? BINARY_PREFIX + Base64.getEncoder().encodeToString(binary.getBytes()) : type.digit() + data;
  }

  /** Decodes one packet; throws {@link IllegalArgumentException} for anything else. */
  public static EnginePacket decode(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty packet");
    }
    if (text.charAt(0) == BINARY_PREFIX) {
      // Throws IllegalArgumentException for invalid base64 too.
      return binaryMessage(Buffer.buffer(Base64.getDecoder().decode(text.substring(1))));
    }
    int digit = text.charAt(0) - '0';
    if (digit < 0 || digit >= Type.values().length) {
      throw new IllegalArgumentException("unknown packet type '" + text.charAt(0) + "'");
    }
    return new EnginePacket(Type.values()[digit], text.substring(1));
  }

  public static String encodePayload(List<EnginePacket> packets) {
    return joinPayload(packets.stream().map(EnginePacket::encode).toList());
  }

  /** Decodes a polling payload; throws {@link IllegalArgumentException} if any packet is malformed. */
  public static List<EnginePacket> decodePayload(String payload) {
    if (payload.isEmpty()) {
      throw new IllegalArgumentException("empty payload");
    }
    return splitPayload(payload).stream().map(EnginePacket::decode).toList();
  }

  /** Splits a polling payload into its packets' text, without decoding them. */
  public static List<String> splitPayload(String payload) {
    List<String> packets = new ArrayList<>();
    if (payload.isEmpty()) {
      return packets;
    }
    int start = 0;
    while (start <= payload.length()) {
      int end = payload.indexOf(SEPARATOR, start);
      if (end < 0) {
        end = payload.length();
      }
      packets.add(payload.substring(start, end));
      start = end + 1;
    }
    return packets;
  }

  /** Joins packets' text into one polling payload. */
  public static String joinPayload(List<String> packets) {
    return String.join(String.valueOf(SEPARATOR), packets);
  }

  /** True when a polling body is framed the Engine.IO 3 way (a Socket.IO v2 server). */
  public static boolean looksLikeEngineIo3(String body) {
    return body != null && EIO3_PAYLOAD.matcher(body).find();
  }
}
