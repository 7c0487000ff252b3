package io.socketiocanary.config;

import java.util.Objects;

/**
 * A numbered event the server broadcasts, which the canaries listen to for message continuity
 * (missed, replayed, silence). Immutable.
 *
 * @param event the Socket.IO event name; empty means no subscription
 * @param sequenceField the field of the event's first argument (an object) holding its number
 */
public record SubscribeSettings(String event, String sequenceField) {
  public static final SubscribeSettings NONE = new SubscribeSettings("", "seq");

  public SubscribeSettings {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(sequenceField, "sequenceField");
  }

  public boolean enabled() {
    return !event.isEmpty();
  }
}
