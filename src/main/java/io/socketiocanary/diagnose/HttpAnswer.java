package io.socketiocanary.diagnose;

import io.socketiocanary.protocol.EngineIoErrorBody;
import io.vertx.core.MultiMap;
import java.util.Optional;

/** One HTTP answer as the diagnosis saw it, body included. Immutable. */
record HttpAnswer(int status, MultiMap headers, String body, long millis) {

  Optional<EngineIoErrorBody> engineIoError() {
    return EngineIoErrorBody.parse(body);
  }

  /** The first line of the body, shortened, for a summary. */
  String bodyExcerpt() {
    String text = body == null ? "" : body.strip();
    int newline = text.indexOf('\n');
    if (newline >= 0) {
      text = text.substring(0, newline);
    }
    return text.length() <= 160 ? text : text.substring(0, 160) + "…";
  }
}
