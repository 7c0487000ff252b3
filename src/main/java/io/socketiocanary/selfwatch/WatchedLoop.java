package io.socketiocanary.selfwatch;

import java.util.concurrent.Executor;

/**
 * One execution context the canaries depend on, as the self-watch sees it: a no-op posted through
 * {@code executor} measures how long work waits there.
 *
 * @param loop the {@code loop} label: one of a small fixed set (several members, such as the
 *     threads of one event-loop group, may share it; the label then reports the worst of them)
 * @param executor runs a task on that context, always on one thread (a stall warning shows the
 *     stack of the thread that last ran a probe)
 */
public record WatchedLoop(String loop, Executor executor) {
  public static WatchedLoop singleThread(String loop, Executor executor) {
    return new WatchedLoop(loop, executor);
  }
}
