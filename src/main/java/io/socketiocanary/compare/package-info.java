/**
 * {@code socketio-canary compare}: did reconnection get better or worse between two time windows
 * (typically before and after a proxy rollout)? {@link io.socketiocanary.compare.WindowQueries}
 * asks Prometheus for each window's figures, {@link io.socketiocanary.compare.Comparison} judges
 * each with the test that suits it ({@link io.socketiocanary.compare.RateChange},
 * {@link io.socketiocanary.compare.HistogramShift}, {@link io.socketiocanary.compare.ProportionChange},
 * thresholds in {@link io.socketiocanary.compare.Verdicts}), and a renderer prints the
 * {@link io.socketiocanary.compare.Report} as a table, Markdown or JSON.
 */
package io.socketiocanary.compare;
