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
  /** The message prefix the classifier recognizes. */
  static final String TOO_LARGE = "response body larger than";

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
            throw new ProtocolException(TOO_LARGE + " " + limit + " bytes");
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
}
