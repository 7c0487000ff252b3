package io.socketiocanary.client;

import io.netty.util.concurrent.EventExecutor;
import io.socket.thread.EventThread;
import io.socketiocanary.client.compat.SharedHeartbeatScheduler;
import io.socketiocanary.selfwatch.LoopNames;
import io.socketiocanary.selfwatch.WatchedLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared execution contexts every canary's connection goes through, for the agent's
 * self-watch: the client library's EventThread and heartbeat scheduler, and the event loops of
 * {@link HttpClients} that carry WebSocket and polling I/O (the EventThread itself, while the
 * library allows). A stall in any of them delays every target at once. (Host-name lookups are not
 * watched: each fleet has its own threads for them, and a target whose DNS hangs is that target's
 * problem, not the agent's.)
 */
public final class ClientLoops {
  private ClientLoops() {}

  public static List<WatchedLoop> of(HttpClients clients) {
    List<WatchedLoop> loops = new ArrayList<>();
    // nextTick, not exec: exec runs inline when called on the EventThread, which measures nothing.
    loops.add(WatchedLoop.singleThread(LoopNames.EVENT_THREAD, EventThread::nextTick));
    if (SharedHeartbeatScheduler.available()) {
      loops.add(WatchedLoop.singleThread(LoopNames.HEARTBEAT, SharedHeartbeatScheduler.forEngines()));
    }
    for (EventExecutor loop : clients.loops()) {
      loops.add(WatchedLoop.singleThread(LoopNames.WEBSOCKET_EVENT_LOOP, loop));
      // Polling runs on the same loops now; its label stays, as a label is a contract (dashboards,
      // alerts, README), and reports the same loops. Named for the OkHttp dispatcher that once ran
      // polling calls.
      loops.add(WatchedLoop.singleThread(LoopNames.POLLING_DISPATCHER, loop));
    }
    return loops;
  }
}
