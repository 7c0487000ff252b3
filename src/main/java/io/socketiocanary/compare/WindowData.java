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
 */
public record WindowData(Window window, Set<FleetKey> fleets, Map<FleetKey, Double> clients,
    Map<FleetKey, Double> connected, Map<FleetKey, Map<String, Double>> disconnects,
    Map<FleetKey, Map<String, Double>> connectErrors, Map<FleetKey, Double> probeFailures,
    Map<FleetKey, Histogram> reconnect, Map<FleetKey, Histogram> drillReconnect,
    Map<FleetKey, Histogram> lifetime) {}
