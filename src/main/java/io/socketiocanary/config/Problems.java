package io.socketiocanary.config;

import com.typesafe.config.ConfigOrigin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects problems during one load so that all of them are reported at once. Not thread-safe. */
final class Problems {
  private final String originName;
  private final List<ConfigProblem> found = new ArrayList<>();

  /** @param originName the name to show for values that come from no file, such as a string */
  Problems(String originName) {
    this.originName = originName;
  }

  void add(String path, String message, ConfigOrigin origin) {
    found.add(new ConfigProblem(path, message, where(origin)));
  }

  int count() {
    return found.size();
  }

  List<ConfigProblem> all() {
    return List.copyOf(found);
  }

  /** {@code canary.conf:14}: the base name keeps messages short and free of deployment paths. */
  String where(ConfigOrigin origin) {
    if (origin == null) {
      return originName;
    }
    String name = originName;
    if (origin.filename() != null) {
      name = baseName(origin.filename());
    } else if (origin.resource() != null) {
      name = baseName(origin.resource());
    } else if (origin.url() != null) {
      name = baseName(origin.url().getPath());
    }
    return origin.lineNumber() > 0 ? name + ":" + origin.lineNumber() : name;
  }

  private static String baseName(String path) {
    Path fileName = Path.of(path).getFileName();
    return fileName == null ? path : fileName.toString();
  }
}
