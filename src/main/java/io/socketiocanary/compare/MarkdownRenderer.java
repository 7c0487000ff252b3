package io.socketiocanary.compare;

/** A GitHub-flavoured Markdown table for a pull request comment; worse rows in bold. Stateless. */
public final class MarkdownRenderer {
  private MarkdownRenderer() {}

  public static String render(Report report) {
    StringBuilder out = new StringBuilder();
    Report.Sides sides = report.sides();
    if (sides.ab()) {
      out.append("**socketio-canary compare**: a `").append(escape(sides.beforeSelection())).append("` vs b `")
          .append(escape(sides.afterSelection())).append("` over `").append(report.after()).append("`\n\n");
    } else {
      out.append("**socketio-canary compare**: before `").append(report.before()).append("`, after `")
          .append(report.after()).append("`\n\n");
    }
    report.notes().forEach(n -> out.append("> ").append(escape(n)).append("\n"));
    if (!report.notes().isEmpty()) {
      out.append('\n');
    }
    out.append("| target | transport | figure | ").append(sides.before()).append(" | ").append(sides.after())
        .append(" | change | verdict | p | note |\n");
    out.append("|---|---|---|---:|---:|---:|---|---:|---|\n");
    for (Row r : report.rows()) {
      String verdict = r.verdict() == Verdict.WORSE ? "**worse**" : r.verdict().text();
      out.append("| ").append(escape(r.target())).append(" | ").append(escape(r.transport())).append(" | ")
          .append(escape(r.label())).append(" | ").append(Cells.value(r.before(), r.unit())).append(" | ")
          .append(Cells.value(r.after(), r.unit())).append(" | ").append(Cells.change(r)).append(" | ")
          .append(verdict).append(" | ").append(Cells.pValue(r.pValue())).append(" | ").append(escape(r.note()))
          .append(" |\n");
    }
    out.append("\n").append("Summary: ").append(Cells.summary(report)).append(". ")
        .append(escape(Cells.METHODS)).append(".\n");
    return out.toString();
  }

  private static String escape(String s) {
    return s.replace("|", "\\|").replace("<", "&lt;");
  }
}
