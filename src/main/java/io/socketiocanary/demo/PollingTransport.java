package io.socketiocanary.demo;

import io.socketiocanary.protocol.EngineIoError;
import io.socketiocanary.protocol.EnginePacket;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * HTTP long-polling: a GET is held until the session has packets (at the latest the next ping),
 * a POST carries client packets separated by {@code \u001e}. A long-poll whose connection closes
 * before it is answered (a proxy cut it, the client went away) ends the session, as in engine.io.
 *
 * <p>Not thread-safe: confined to the demo server's Vert.x context.
 */
final class PollingTransport implements EngineTransport {

  static final String NAME = "polling";
  private static final String TEXT = "text/plain; charset=UTF-8";

  private final EngineSession session;
  private HttpServerResponse heldPoll;

  PollingTransport(EngineSession session) {
    this.session = session;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean writable() {
    return heldPoll != null;
  }

  @Override
  public void send(List<EnginePacket> packets) {
    HttpServerResponse response = heldPoll;
    heldPoll = null;
    response.putHeader(HttpHeaders.CONTENT_TYPE, TEXT).end(EnginePacket.encodePayload(packets));
  }

  /** Answers the handshake GET with the open packet. */
  void handshake(HttpServerRequest request) {
    request.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, TEXT)
        .end(session.openPacket(true).encode());
  }

  void onGet(HttpServerRequest request) {
    if (heldPoll != null) {
      DemoSocketIoServer.reject(request, EngineIoError.BAD_REQUEST);
      session.close("transport error");
      return;
    }
    HttpServerResponse response = request.response();
    heldPoll = response;
    response.closeHandler(v -> {
      if (heldPoll == response) {
        heldPoll = null;
        session.onTransportClosed(this, "transport close");
      }
    });
    session.flush();
  }

  void onPost(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && parseLength(length) > DemoSocketIoServer.MAX_PAYLOAD) {
      request.response().setStatusCode(413).end();
      session.close("transport error");
      return;
    }
    request.body().onComplete(body -> {
      if (body.failed()) {
        session.onTransportClosed(this, "transport error");
        return;
      }
      List<EnginePacket> packets;
      try {
        packets = EnginePacket.decodePayload(body.result().toString());
      } catch (IllegalArgumentException e) {
        DemoSocketIoServer.reject(request, EngineIoError.BAD_REQUEST);
        session.close("parse error");
        return;
      }
      request.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html").end("ok");
      packets.forEach(session::onPacket);
    });
  }

  /**
   * A poll still held gets a noop so the client lets go of it: the session upgraded, or the client
   * closed it.
   */
  void release() {
    if (heldPoll != null) {
      send(List.of(EnginePacket.NOOP));
    }
  }

  @Override
  public void close() {
    if (heldPoll != null) {
      send(List.of(EnginePacket.CLOSE));
    }
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
