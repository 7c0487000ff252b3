package io.socketiocanary.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket that speaks Engine.IO by hand, as the conformance suites do: every frame is kept in
 * arrival order (text as {@link String}, binary as {@code byte[]}). With {@code answerPings} it
 * answers each server ping {@code 2} with a pong {@code 3} itself, so that only a reason other
 * than the heartbeat can end the session.
 */
final class RawWebSocket implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final Duration WAIT = Duration.ofSeconds(5);

  private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final boolean answerPings;
  private WebSocket ws;

  private RawWebSocket(boolean answerPings) {
    this.answerPings = answerPings;
  }

  static RawWebSocket open(String url, boolean answerPings) throws Exception {
    RawWebSocket socket = new RawWebSocket(answerPings);
    socket.ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(url), socket.new Listener())
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    return socket;
  }

  /** The HTTP status that refused the WebSocket handshake; fails if it was accepted. */
  static int refusal(String url) throws Exception {
    try {
      HTTP.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {})
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS).abort();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
    throw new AssertionError("the WebSocket handshake to " + url + " was accepted");
  }

  void send(String text) {
    ws.sendText(text, true).join();
  }

  void send(byte[] bytes) {
    ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  /** The next frame, pings included; fails after {@link #WAIT}. */
  Object next() throws Exception {
    Object frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (frame == null) {
      throw new TimeoutException("no frame within " + WAIT.toMillis() + " ms"
          + (closed.isDone() ? " (closed with " + closed.join() + ")" : ""));
    }
    return frame;
  }

  /** The next frame other than a ping. */
  Object nextPacket() throws Exception {
    Object frame = next();
    return "2".equals(frame) ? nextPacket() : frame;
  }

  String nextText() throws Exception {
    return (String) nextPacket();
  }

  /** Waits until the server closes the connection and returns the close code. */
  int awaitClose() throws Exception {
    return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      ws.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    private ByteBuffer binary = ByteBuffer.allocate(0);

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String frame = text.toString();
        text.setLength(0);
        if (answerPings && frame.equals("2")) {
          webSocket.sendText("3", true);
        }
        frames.add(frame);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining()).put(binary).put(data).flip();
      binary = joined;
      if (last) {
        byte[] frame = new byte[binary.remaining()];
        binary.get(frame);
        binary = ByteBuffer.allocate(0);
        frames.add(frame);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }
  }
}
