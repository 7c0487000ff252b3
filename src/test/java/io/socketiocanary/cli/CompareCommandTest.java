package io.socketiocanary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.socketiocanary.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Usage errors of {@code compare} exit 2 with one "error:" line and the usage, before any query. */
class CompareCommandTest {

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new String[] {Integer.toString(code), err.toString()};
  }

  @Test
  void windowsMustBeGivenOneWayOrTheOther() {
    String[] neither = run("compare", "--prometheus", "http://127.0.0.1:1");
    assertThat(neither[0]).isEqualTo("2");
    assertThat(neither[1]).startsWith("error: give either --before and --after, or --marker (with --window)\nUsage:");

    String[] both = run("compare", "--prometheus", "http://127.0.0.1:1", "--marker", "x", "--before", "now-2h..now-1h");
    assertThat(both[0]).isEqualTo("2");
    assertThat(both[1]).startsWith("error: give either --before and --after, or --marker");

    String[] half = run("compare", "--prometheus", "http://127.0.0.1:1", "--before", "now-2h..now-1h");
    assertThat(half[1]).startsWith("error: --before and --after go together");
  }

  @Test
  void badTimesUrlsTargetsAndFormatsAreUsageErrors() {
    String[] time = run("compare", "--prometheus", "http://127.0.0.1:1", "--before", "now-2h..later", "--after", "now-1h..now");
    assertThat(time[0]).isEqualTo("2");
    assertThat(time[1]).startsWith(
        "error: expected a time as RFC 3339 (2025-05-01T10:00:00Z), unix seconds or now-2h, got \"later\"");
    assertThat(run("compare", "--prometheus", "prometheus:9090", "--before", "now-2h..now-1h", "--after", "now-1h..now")[1])
        .startsWith("error: --prometheus must be an http(s) URL such as http://prometheus:9090");
    assertThat(run("compare", "--prometheus", "http://127.0.0.1:1", "--target", "a\"b", "--before", "now-2h..now-1h",
        "--after", "now-1h..now")[1]).startsWith("error: --target must be a target name");
    String[] format = run("compare", "--prometheus", "http://127.0.0.1:1", "--format", "yaml", "--before", "now-2h..now-1h",
        "--after", "now-1h..now");
    assertThat(format[0]).isEqualTo("2");
    assertThat(format[1]).contains("--format").contains("yaml");
  }
}
