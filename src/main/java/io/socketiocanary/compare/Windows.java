package io.socketiocanary.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The before and after windows of a comparison, with notes for the reader when they had to be
 * cut short. Immutable.
 *
 * @param fromMarker the after window starts at a rollout marker, so the agents' stale-connection
 *     gauge (connections from before the latest marker) says whether the canaries met the change
 */
public record Windows(Window before, Window after, List<String> notes, boolean fromMarker) {
  public Windows {
    notes = List.copyOf(notes);
  }

  public Windows(Window before, Window after, List<String> notes) {
    this(before, after, notes, false);
  }

  /** Windows given on the command line; a window reaching into the future ends at {@code now}. */
  public static Windows explicit(Window before, Window after, Instant now) {
    List<String> notes = new ArrayList<>();
    return new Windows(clamp("before", before, now, notes), clamp("after", after, now, notes), notes);
  }

  /** before = [t − length, t), after = [t, t + length), the after window ending at now at the latest. */
  public static Windows aroundMarker(String label, Instant t, Duration length, Instant now) {
    if (!t.isBefore(now)) {
      throw new IllegalArgumentException("marker \"" + label + "\" is at " + t + ", not in the past");
    }
    List<String> notes = new ArrayList<>();
    notes.add("marker \"" + label + "\" at " + t);
    Window after = clamp("after", new Window(t, t.plus(length)), now, notes);
    return new Windows(new Window(t.minus(length), t), after, notes, true);
  }

  private static Window clamp(String name, Window w, Instant now, List<String> notes) {
    if (!w.end().isAfter(now)) {
      return w;
    }
    if (!w.start().isBefore(now)) {
      throw new IllegalArgumentException("the " + name + " window " + w + " starts in the future");
    }
    Window cut = new Window(w.start(), now);
    notes.add("the " + name + " window ends now: " + TimeExpressions.format(cut.length()) + " instead of "
        + TimeExpressions.format(w.length()) + ", rates are per hour either way");
    return cut;
  }
}
