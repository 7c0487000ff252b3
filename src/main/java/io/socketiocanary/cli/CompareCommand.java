package io.socketiocanary.cli;

import io.socketiocanary.Main;
import io.socketiocanary.compare.Compare;
import io.socketiocanary.compare.JsonRenderer;
import io.socketiocanary.compare.MarkdownRenderer;
import io.socketiocanary.compare.MarkerLookup;
import io.socketiocanary.compare.PrometheusClient;
import io.socketiocanary.compare.PrometheusAccess;
import io.socketiocanary.compare.PrometheusException;
import io.socketiocanary.compare.Report;
import io.socketiocanary.compare.Selection;
import io.socketiocanary.compare.TableRenderer;
import io.socketiocanary.compare.TimeExpressions;
import io.socketiocanary.compare.Window;
import io.socketiocanary.compare.Windows;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code compare}: before/after a rollout, or two selections of fleets side by side (A/B), from
 * Prometheus. Exit 0, 3 when a figure got significantly worse and {@code --fail-on-regression} is
 * set, 2 for usage errors and when Prometheus cannot answer.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Compare reconnection before and after a change (--before/--after or --marker), or two "
            + "selections of fleets over the same window (--a/--b), from Prometheus: per target and transport, "
            + "each figure is better, worse, no significant change or too few samples.",
        "Times: RFC 3339, unix seconds or now-2h. Exit codes: 0 ok, 3 regression (with --fail-on-regression), "
            + "2 usage or Prometheus error, or (with --fail-on-regression) a stale fleet: most canaries never "
            + "reconnected after the marker."})
public final class CompareCommand implements Callable<Integer> {
  /** Exit code when {@code --fail-on-regression} is set and a figure got significantly worse. */
  public static final int EXIT_REGRESSION = 3;

  /** Output formats. */
  public enum Format { TABLE, MARKDOWN, JSON }

  @Option(names = "--prometheus", paramLabel = "URL", required = true,
      description = "Prometheus root URL, e.g. http://prometheus:9090")
  String prometheus;

  @Option(names = "--before", paramLabel = "A..B", description = "before window, e.g. now-2h..now-1h")
  String before;

  @Option(names = "--after", paramLabel = "C..D", description = "after window, e.g. now-1h..now")
  String after;

  @Option(names = "--marker", paramLabel = "LABEL",
      description = "windows around the latest rollout marker with this label (POST /api/markers)")
  String marker;

  @Option(names = "--window", paramLabel = "DURATION", defaultValue = "1h",
      description = "with --marker: length of each window (default ${DEFAULT-VALUE})")
  String window;

  @Option(names = "--marker-lookback", paramLabel = "DURATION", defaultValue = "30d",
      description = "how far back to look for the marker (default ${DEFAULT-VALUE})")
  String markerLookback;

  @Option(names = "--a", paramLabel = "MATCHERS",
      description = "A/B: side a, label matchers such as target=chat-old or rollout=old (rollout/version select agents "
          + "by socketio_canary_build_info)")
  String sideA;

  @Option(names = "--b", paramLabel = "MATCHERS", description = "A/B: side b, e.g. target=chat-new or rollout=new")
  String sideB;

  @Option(names = "--during", paramLabel = "A..B",
      description = "A/B: the window both sides are judged over (default: the last --window)")
  String during;

  @Option(names = "--target", paramLabel = "T", description = "only this target")
  String target;

  @Option(names = "--bearer-token-file", paramLabel = "FILE",
      description = "send Authorization: Bearer with the token in FILE (never printed)")
  Path bearerTokenFile;

  @Option(names = "--basic-auth-user", paramLabel = "USER", description = "basic auth user, with --basic-auth-password-file")
  String basicAuthUser;

  @Option(names = "--basic-auth-password-file", paramLabel = "FILE", description = "basic auth password (never printed)")
  Path basicAuthPasswordFile;

  @Option(names = "--header", paramLabel = "K=V",
      description = "extra HTTP header on every request, e.g. X-Scope-OrgID=team-a (repeatable; values never printed)")
  Map<String, String> headers = new LinkedHashMap<>();

  @Option(names = "--ca-file", paramLabel = "FILE", description = "PEM CA certificates to trust for an https Prometheus")
  Path caFile;

  @Option(names = "--insecure-skip-verify", description = "accept any TLS certificate and host name (a lab only)")
  boolean insecureSkipVerify;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "table, markdown or json (default ${DEFAULT-VALUE})")
  Format format;

  @Option(names = "--fail-on-regression", description = "exit 3 when any figure is significantly worse")
  boolean failOnRegression;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s",
      description = "per Prometheus request (default ${DEFAULT-VALUE})")
  String timeout;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Instant now = Instant.now();
    PrometheusClient client;
    try {
      PrometheusAccess access = PrometheusAccess.of(Optional.ofNullable(bearerTokenFile), Optional.ofNullable(basicAuthUser),
          Optional.ofNullable(basicAuthPasswordFile), headers, Optional.ofNullable(caFile), insecureSkipVerify);
      client = new PrometheusClient(prometheusUri(), TimeExpressions.duration(timeout), access);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (target != null && !target.matches("[a-zA-Z0-9_-]+")) {
      throw usage("--target must be a target name ([a-zA-Z0-9_-]+), got \"" + target + "\"");
    }
    PrintWriter err = spec.commandLine().getErr();
    try {
      Report report = sideA != null || sideB != null
          ? ab(client, now)
          : Compare.run(client, windows(client, now), Optional.ofNullable(target));
      PrintWriter out = spec.commandLine().getOut();
      out.print(switch (format) {
        case TABLE -> TableRenderer.render(report);
        case MARKDOWN -> MarkdownRenderer.render(report);
        case JSON -> JsonRenderer.render(report);
      });
      out.flush();
      if (failOnRegression && report.anyWorse()) {
        return EXIT_REGRESSION;
      }
      if (failOnRegression && report.anyStale()) {
        // No regression proven, but none ruled out either: most canaries never met the change.
        err.println("error: no verdict: most canaries of a stale fleet were still on connections from before the"
            + " marker, so the after window judged the old path; recycle them (a marker does unless told"
            + " \"recycle\": false; or POST /api/recycle) and compare again");
        err.flush();
        return Main.EXIT_USAGE;
      }
      return Main.EXIT_OK;
    } catch (PrometheusException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return Main.EXIT_USAGE;
    }
  }

  private Report ab(PrometheusClient client, Instant now) throws PrometheusException {
    if (sideA == null || sideB == null) {
      throw usage("--a and --b go together");
    }
    if (before != null || after != null || marker != null) {
      throw usage("--a/--b compare two selections over one window: use --during or --window, not --before/--after/--marker");
    }
    Selection a;
    Selection b;
    Windows windows;
    try {
      a = Selection.parse("--a", sideA);
      b = Selection.parse("--b", sideB);
      if (a.equals(b)) {
        throw usage("--a and --b select the same fleets");
      }
      Window w = during != null ? Window.parse(during, now)
          : new Window(now.minus(TimeExpressions.duration(window)), now);
      windows = Windows.explicit(w, w, now);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    List<String> notes = windows.notes().stream().filter(n -> n.startsWith("the after")).map(n -> n.replace("the after", "the"))
        .toList();
    return Compare.ab(client, windows.after(), notes, a, b, Optional.ofNullable(target));
  }

  private Windows windows(PrometheusClient client, Instant now) throws PrometheusException {
    if (during != null) {
      throw usage("--during goes with --a/--b");
    }
    boolean explicit = before != null || after != null;
    if (explicit == (marker != null)) {
      throw usage("give either --before and --after, or --marker (with --window)");
    }
    try {
      if (explicit) {
        if (before == null || after == null) {
          throw usage("--before and --after go together");
        }
        return Windows.explicit(Window.parse(before, now), Window.parse(after, now), now);
      }
      Duration length = TimeExpressions.duration(window);
      Instant t = new MarkerLookup(client, TimeExpressions.duration(markerLookback)).latest(marker, now);
      return Windows.aroundMarker(marker, t, length, now);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private URI prometheusUri() {
    try {
      return new URI(prometheus);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--prometheus is not a URL: " + e.getMessage());
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
