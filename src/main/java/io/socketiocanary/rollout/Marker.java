package io.socketiocanary.rollout;

import java.time.Instant;

/**
 * A rollout marker: "the proxy change went out here". Immutable.
 *
 * @param label a short label-safe name, exported as the {@code marker} label
 * @param description free text for humans; never exported as a label
 * @param at when it was recorded
 */
public record Marker(String label, String description, Instant at) {}
