package io.socketiocanary.client.polling;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttp;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.Buffer;

/**
 * An OkHttp {@link Request}, as engine.io-client builds it, as the HTTP/1.1 request Netty writes,
 * with the headers OkHttp's bridge added ({@code Host}, {@code Connection: Keep-Alive}, its
 * {@code User-Agent}, the body's type and length), so servers and proxies see the request they
 * saw before. No {@code Accept-Encoding: gzip}: OkHttp asked for it and unzipped transparently;
 * an Engine.IO answer is a few bytes. Stateless and thread-safe.
 */
final class RequestEncoder {
  private static final String USER_AGENT = "okhttp/" + OkHttp.VERSION;

  private RequestEncoder() {}

  static DefaultFullHttpRequest encode(Request request) throws IOException {
    HttpUrl url = request.url();
    String target = url.encodedPath() + (url.encodedQuery() == null ? "" : "?" + url.encodedQuery());
    RequestBody body = request.body();
    ByteBuf content = Unpooled.EMPTY_BUFFER;
    if (body != null) {
      Buffer bytes = new Buffer();
      body.writeTo(bytes);
      content = Unpooled.wrappedBuffer(bytes.readByteArray());
    }
    DefaultFullHttpRequest encoded = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
        HttpMethod.valueOf(request.method()), target, content);
    HttpHeaders headers = encoded.headers();
    Headers given = request.headers();
    for (int i = 0; i < given.size(); i++) {
      headers.add(given.name(i), given.value(i));
    }
    if (!headers.contains(HttpHeaderNames.HOST)) {
      headers.set(HttpHeaderNames.HOST, hostHeader(url));
    }
    if (!headers.contains(HttpHeaderNames.CONNECTION)) {
      headers.set(HttpHeaderNames.CONNECTION, "Keep-Alive");
    }
    if (!headers.contains(HttpHeaderNames.USER_AGENT)) {
      headers.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
    }
    if (body != null) {
      MediaType type = body.contentType();
      if (type != null) {
        headers.set(HttpHeaderNames.CONTENT_TYPE, type.toString());
      }
      headers.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
      headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
    }
    return encoded;
  }

  private static String hostHeader(HttpUrl url) {
    String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
    return url.port() == HttpUrl.defaultPort(url.scheme()) ? host : host + ":" + url.port();
  }
}
