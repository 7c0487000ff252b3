package io.socketiocanary.client.polling;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;

/**
 * One HTTP answer as it arrives: its head, and as much of its body as the call needs. A 2xx
 * answer is the engine's payload and is kept whole, up to {@link PollingTarget#MAX_BODY_BYTES}
 * (engine.io-client reads it whole into a String anyway); an error answer only its first
 * {@link #PEEK_BYTES}, which is all the failure's facts need and all OkHttp's peek read; a
 * followed redirect's body nothing (read to its end, up to the same limit, so the connection can
 * carry the next request). Confined to the event loop of the connection it arrives on.
 */
final class Answer {
  /** Enough for any Engine.IO error body or proxy error page's first line. */
  static final int PEEK_BYTES = 1024;

  /** What the call does with the body. */
  private enum Use { PAYLOAD, ERROR, REDIRECT }

  private final HttpResponse head;
  private final Use use;
  /** Null until a byte is kept: a redirect or an empty body allocates nothing. */
  private Buffer body;
  private long received;

  /** @param followed the call follows this answer (a redirect with a Location), so its body is read and dropped */
  Answer(HttpResponse head, boolean followed) {
    this.head = head;
    int status = head.status().code();
    this.use = followed ? Use.REDIRECT : status >= 200 && status < 300 ? Use.PAYLOAD : Use.ERROR;
  }

  int status() {
    return head.status().code();
  }

  HttpResponse head() {
    return head;
  }

  HttpHeaders headers() {
    return head.headers();
  }

  boolean followed() {
    return use == Use.REDIRECT;
  }

  /**
   * Keeps what it needs of {@code content}. Returns false once nothing more is wanted: a payload
   * or redirect body over the limit (then {@link #tooLarge()}), or an error body's peek full.
   */
  boolean append(ByteBuf content) {
    int n = content.readableBytes();
    received += n;
    if (tooLarge()) {
      return false;
    }
    if (use == Use.REDIRECT || n == 0) {
      return true;
    }
    long limit = use == Use.PAYLOAD ? PollingTarget.MAX_BODY_BYTES : PEEK_BYTES;
    if (body == null) {
      body = new Buffer();
    }
    int take = (int) Math.min(n, limit - body.size());
    try {
      for (ByteBuffer part : content.nioBuffers(content.readerIndex(), take)) {
        body.write(part);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("an in-memory buffer cannot fail", e);
    }
    return use == Use.PAYLOAD || body.size() < PEEK_BYTES;
  }

  /** More than {@link PollingTarget#MAX_BODY_BYTES} of a body the call must read to its end. */
  boolean tooLarge() {
    return use != Use.ERROR && received > PollingTarget.MAX_BODY_BYTES;
  }

  /** The answer as OkHttp would have handed it over, its body in memory. */
  Response toResponse(Request request, long sentAtMillis) {
    Headers.Builder headers = new Headers.Builder();
    head.headers().forEach(h -> headers.addUnsafeNonAscii(h.getKey(), h.getValue()));
    String type = head.headers().get("Content-Type");
    MediaType mediaType = type == null ? null : MediaType.parse(type);
    Buffer content = body == null ? new Buffer() : body;
    return new Response.Builder()
        .request(request)
        .protocol(Protocol.HTTP_1_1)
        .code(status())
        .message(head.status().reasonPhrase())
        .headers(headers.build())
        .body(ResponseBody.create(content, mediaType, content.size()))
        .sentRequestAtMillis(sentAtMillis)
        .receivedResponseAtMillis(System.currentTimeMillis())
        .build();
  }
}
