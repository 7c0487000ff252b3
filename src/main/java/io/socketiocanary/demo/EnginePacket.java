package io.socketiocanary.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * One Engine.IO v4 text packet and its wire codec: a type digit followed by the data. Polling
 * payloads join packets with the record separator {@code \u001e}.
 *
 * <p>Binary packets ({@code b<base64>} in a payload, binary WebSocket frames) are not supported:
 * the demo's canaries only send text. Immutable and thread-safe.
 */
record EnginePacket(Type type, String data) {

  /** Packet types, in wire order: the ordinal is the digit on the wire. */
  enum Type {
    OPEN, CLOSE, PING, PONG, MESSAGE, UPGRADE, NOOP;

    char digit() {
      return (char) ('0' + ordinal());
    }
  }

  static final char SEPARATOR = '\u001e';

  static final EnginePacket PING = new EnginePacket(Type.PING, "");
  static final EnginePacket NOOP = new EnginePacket(Type.NOOP, "");
  static final EnginePacket CLOSE = new EnginePacket(Type.CLOSE, "");

  EnginePacket {
    data = data == null ? "" : data;
  }

  static EnginePacket message(String data) {
    return new EnginePacket(Type.MESSAGE, data);
  }

  String encode() {
    return type.digit() + data;
  }

  /** Decodes one packet; throws {@link IllegalArgumentException} for anything else. */
  static EnginePacket decode(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty packet");
    }
    int digit = text.charAt(0) - '0';
    if (digit < 0 || digit >= Type.values().length) {
      throw new IllegalArgumentException("unknown packet type '" + text.charAt(0) + "'");
    }
    return new EnginePacket(Type.values()[digit], text.substring(1));
  }

  static String encodePayload(List<EnginePacket> packets) {
    StringBuilder payload = new StringBuilder();
    for (EnginePacket packet : packets) {
      if (payload.length() > 0) {
        payload.append(SEPARATOR);
      }
      payload.append(packet.encode());
    }
    return payload.toString();
  }

  static List<EnginePacket> decodePayload(String payload) {
    List<EnginePacket> packets = new ArrayList<>();
    int start = 0;
    while (start <= payload.length()) {
      int end = payload.indexOf(SEPARATOR, start);
      if (end < 0) {
        end = payload.length();
      }
      packets.add(decode(payload.substring(start, end)));
      start = end + 1;
    }
    return packets;
  }
}
