package io.socketiocanary.client;

import java.io.IOException;
import java.net.ProtocolException;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * A response body that fails once more than {@code limit} bytes have been read, so a client that
 * reads whole bodies into memory (engine.io-client's polling transport) cannot be made to buffer
 * a huge or endless answer. Not thread-safe, like any response body: one reader.
 */
final class LimitedBody extends ResponseBody {
  private final ResponseBody delegate;
  private final BufferedSource source;

  LimitedBody(ResponseBody delegate, long limit) {
    this.delegate = delegate;
    this.source = Okio.buffer(new ForwardingSource(delegate.source()) {
      private long read;

      @Override
      public long read(Buffer sink, long byteCount) throws IOException {
        long n = super.read(sink, byteCount);
        if (n > 0) {
          read += n;
          if (read > limit) {
            delegate.close();
            throw new TooLarge(limit);
          }
        }
        return n;
      }
    });
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public BufferedSource source() {
    return source;
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** The answer was cut off at the limit: a server that is not a Socket.IO server, or a hostile one. */
  static final class TooLarge extends ProtocolException {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("response body larger than " + limit + " bytes");
    }
  }
}
