package io.socketiocanary.ship;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Just enough of a Dockerfile parser for {@link DockerfileTest}: comments and line continuations
 * removed, one {@link Instruction} per logical line, grouped into build stages by FROM.
 */
record Dockerfile(List<Stage> stages) {
  record Instruction(String keyword, String arguments) {}

  record Stage(String from, List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }
  }

  static Dockerfile parse(Path file) throws IOException {
    List<Stage> stages = new ArrayList<>();
    List<Instruction> current = null;
    StringBuilder logical = new StringBuilder();
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && logical.isEmpty())) {
        continue; // comments may sit between continued lines, too
      }
      if (trimmed.endsWith("\\")) {
        logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      logical.append(trimmed);
      String text = logical.toString().strip();
      logical.setLength(0);
      if (text.isEmpty()) {
        continue;
      }
      String[] parts = text.split("\\s+", 2);
      Instruction instruction =
          new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
      if (instruction.keyword().equals("FROM")) {
        current = new ArrayList<>();
        stages.add(new Stage(instruction.arguments(), current));
      } else if (current != null) {
        current.add(instruction);
      }
    }
    return new Dockerfile(List.copyOf(stages));
  }

  Stage finalStage() {
    return stages.get(stages.size() - 1);
  }
}
