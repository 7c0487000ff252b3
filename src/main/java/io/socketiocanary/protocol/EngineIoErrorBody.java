package io.socketiocanary.protocol;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * An Engine.IO error body as received, {@code {"code":N,"message":"…"}}: the code may be one
 * {@link EngineIoError} does not know (a newer server), so it is kept as a number.
 */
public record EngineIoErrorBody(int code, String message) {

  /** The Engine.IO error in an HTTP error body, if it is one (a JSON object with a numeric code). */
  public static Optional<EngineIoErrorBody> parse(String body) {
    if (body == null || !body.strip().startsWith("{")) {
      return Optional.empty();
    }
    try {
      JsonObject json = new JsonObject(body.strip());
      Number code = json.getNumber("code");
      if (code == null) {
        return Optional.empty();
      }
      return Optional.of(new EngineIoErrorBody(code.intValue(), json.getString("message", "")));
    } catch (DecodeException | ClassCastException e) {
      return Optional.empty();
    }
  }

  /** Whether the code is {@code error}'s. */
  public boolean is(EngineIoError error) {
    return code == error.code();
  }

  /** What the code means, in Engine.IO's own words. */
  public String meaning() {
    return EngineIoError.forCode(code).map(EngineIoError::message).orElse("unknown code");
  }

  @Override
  public String toString() {
    return "Engine.IO error " + code + " (" + meaning() + "): " + message;
  }
}
