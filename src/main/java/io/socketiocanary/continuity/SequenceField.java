package io.socketiocanary.continuity;

import java.util.OptionalLong;
import org.json.JSONArray;
import org.json.JSONObject;

/** Reads the number of a subscribed event: its first argument is an object with a numeric field. Stateless. */
public final class SequenceField {
  private SequenceField() {}

  /** The whole number in {@code field} of the first argument, or empty when there is none. */
  public static OptionalLong read(JSONArray args, String field) {
    if (args.length() == 0 || !(args.opt(0) instanceof JSONObject payload) || !payload.has(field)) {
      return OptionalLong.empty();
    }
    Object value = payload.opt(field);
    if (value instanceof Integer || value instanceof Long) {
      return OptionalLong.of(((Number) value).longValue());
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) < 9e15) {
      return OptionalLong.of(n.longValue());
    }
    return OptionalLong.empty();
  }
}
