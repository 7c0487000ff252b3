package io.socketiocanary.protocol;

/**
 * One Socket.IO v5 packet carried in an Engine.IO message, and its text codec:
 * {@code <type>[/<namespace>,][<ack id>][<json>]}, for example {@code 42/admin,7["probe",1]}.
 *
 * <p>A binary packet (types 5 and 6) says how many attachments follow it as separate binary
 * Engine.IO messages: {@code 52-["event",{"_placeholder":true,"num":0},…]}. Immutable and
 * thread-safe.
 *
 * @param ackId the acknowledgement id, or -1 when the packet asks for none
 * @param json the JSON payload as text, or an empty string
 * @param attachments how many binary attachments follow (binary packets only)
 */
public record SocketIoPacket(Type type, String namespace, long ackId, String json, int attachments) {

  /** Packet types; the ordinal is the digit on the wire. */
  public enum Type {
    CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

    public boolean binary() {
      return this == BINARY_EVENT || this == BINARY_ACK;
    }
  }

  public static final String ROOT = "/";

  public SocketIoPacket {
    namespace = namespace == null || namespace.isEmpty() ? ROOT : namespace;
    json = json == null ? "" : json;
    if (attachments < 0 || (attachments > 0 && !type.binary())) {
      throw new IllegalArgumentException("only a binary packet has attachments");
    }
  }

  public SocketIoPacket(Type type, String namespace, long ackId, String json) {
    this(type, namespace, ackId, json, 0);
  }

  public String encode() {
    StringBuilder text = new StringBuilder().append((char) ('0' + type.ordinal()));
    if (type.binary()) {
      text.append(attachments).append('-');
    }
    if (!ROOT.equals(namespace)) {
      text.append(namespace).append(',');
    }
    if (ackId >= 0) {
      text.append(ackId);
    }
    return text.append(json).toString();
  }

  /** Decodes one packet; throws {@link IllegalArgumentException} when it is malformed. */
  public static SocketIoPacket decode(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty Socket.IO packet");
    }
    int digit = text.charAt(0) - '0';
    if (digit < 0 || digit >= Type.values().length) {
      throw new IllegalArgumentException("unknown Socket.IO packet type '" + text.charAt(0) + "'");
    }
    Type type = Type.values()[digit];
    int i = 1;
    int attachments = 0;
    if (type.binary()) {
      int dash = text.indexOf('-', i);
      if (dash < 0) {
        throw new IllegalArgumentException("binary packet without attachment count");
      }
      attachments = parseCount(text.substring(i, dash));
      i = dash + 1;
    }
    String namespace = ROOT;
    if (i < text.length() && text.charAt(i) == '/') {
      int comma = text.indexOf(',', i);
      int end = comma < 0 ? text.length() : comma;
      namespace = text.substring(i, end);
      i = comma < 0 ? end : comma + 1;
    }
    int idStart = i;
    while (i < text.length() && Character.isDigit(text.charAt(i)) && i - idStart < 18) {
      i++;
    }
    long ackId = i > idStart ? Long.parseLong(text.substring(idStart, i)) : -1;
    return new SocketIoPacket(type, namespace, ackId, text.substring(i), attachments);
  }

  private static int parseCount(String digits) {
    if (digits.isEmpty() || digits.length() > 6 || !digits.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("invalid attachment count '" + digits + "'");
    }
    return Integer.parseInt(digits);
  }
}
