package io.socketiocanary.client;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads Engine.IO's JSON error bodies ({"code":N,"message":"..."}) without a JSON library. */
final class EngineIoErrorBody {
  private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*(\\d+)");
  private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  static final int MAX_MESSAGE = 200;

  private EngineIoErrorBody() {}

  static HttpFailure parse(int status, String body, boolean websocketHandshake) {
    String text = body == null ? "" : body;
    Matcher code = CODE.matcher(text);
    Matcher message = MESSAGE.matcher(text);
    OptionalInt engineIoCode = code.find() ? OptionalInt.of(Integer.parseInt(code.group(1))) : OptionalInt.empty();
    String summary = message.find() ? message.group(1) : firstLine(text);
    return new HttpFailure(status, engineIoCode, truncate(summary), websocketHandshake);
  }

  private static String firstLine(String text) {
    String trimmed = text.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
  }

  private static String truncate(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
  }
}
