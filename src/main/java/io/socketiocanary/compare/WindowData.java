package io.socketiocanary.compare;

import java.util.Map;
import java.util.Set;

/**
 * Everything Prometheus said about one window, summed over instances, vantages and pods, per
 * fleet. Maps are immutable; a fleet missing from a map had no such series in the window.
 *
 * @param clients average configured canaries
 * @param connected average connected canaries
 * @param disconnects reason → disconnects in the window
 * @param connectErrors reason → failed connect attempts in the window
 * @param probeFailures probe failures in the window
 * @param recoveries result (recovered, new_session, no_offset) → judged reconnects in the window;
 *     only fleets whose recovery is not off have the series
 * @param messagesMissed subscribed messages missed in the window; only fleets with a subscribed event
 */
public record WindowData(Window window, Set<FleetKey> fleets, Map<FleetKey, Double> clients,
    Map<FleetKey, Double> connected, Map<FleetKey, Map<String, Double>> disconnects,
    Map<FleetKey, Map<String, Double>> connectErrors, Map<FleetKey, Double> probeFailures,
    Map<FleetKey, Histogram> reconnect, Map<FleetKey, Histogram> drillReconnect,
    Map<FleetKey, Histogram> lifetime, Map<FleetKey, Map<String, Double>> recoveries,
    Map<FleetKey, Double> messagesMissed) {

  /** A window without recovery or continuity series. */
  public WindowData(Window window, Set<FleetKey> fleets, Map<FleetKey, Double> clients,
      Map<FleetKey, Double> connected, Map<FleetKey, Map<String, Double>> disconnects,
      Map<FleetKey, Map<String, Double>> connectErrors, Map<FleetKey, Double> probeFailures,
      Map<FleetKey, Histogram> reconnect, Map<FleetKey, Histogram> drillReconnect,
      Map<FleetKey, Histogram> lifetime) {
    this(window, fleets, clients, connected, disconnects, connectErrors, probeFailures, reconnect, drillReconnect,
        lifetime, Map.of(), Map.of());
  }
}
