package io.socketiocanary.client.polling;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Request;
import okhttp3.Response;
import okio.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One polling request of one canary, from {@code enqueue} to the one callback: follows redirects,
 * retries once on a fresh connection when a reused keep-alive connection fails before any byte of
 * its answer (a server or proxy closed it while idle: not the target's failure, and OkHttp and
 * browsers retry it too), and hands the complete answer over.
 *
 * <p>Thread-safe: {@code enqueue} and {@code cancel} may come from any thread; everything after
 * runs on the canary's event loop, where the callback is called too (the engine only posts to its
 * EventThread from there).
 */
final class NettyCall implements Call, PollingConnection.Exchange {
  private static final Logger log = LoggerFactory.getLogger(NettyCall.class);

  private final PollingCalls calls;
  private final Request original;
  private final AtomicBoolean executed = new AtomicBoolean();
  private volatile boolean canceled;

  // Confined to the loop from here on.
  private Callback callback;
  private boolean ended;
  private Request current;
  private int followUps;
  /** The current request already had its second chance on a fresh connection. */
  private boolean retried;
  private PollingConnection connection;
  private boolean reused;
  private Answer answer;
  private boolean skippingInformational;
  private long sentAtMillis;

  NettyCall(PollingCalls calls, Request request) {
    this.calls = calls;
    this.original = request;
  }

  @Override
  public Request request() {
    return original;
  }

  @Override
  public void enqueue(Callback responseCallback) {
    if (!executed.compareAndSet(false, true)) {
      throw new IllegalStateException("Already Executed");
    }
    calls.started(this);
    try {
      calls.loop.execute(() -> {
        callback = responseCallback;
        current = original;
        sendUnlessCanceled();
      });
    } catch (RejectedExecutionException e) {
      // The agent is stopping: its loops take no more work.
      calls.ended(this);
      responseCallback.onFailure(this, new IOException("Canceled", e));
    }
  }

  /** Blocks the caller until the answer is in; never on an event loop. The engine only enqueues. */
  @Override
  public Response execute() throws IOException {
    if (calls.loop.inEventLoop()) {
      throw new IllegalStateException("execute() would block the event loop it needs");
    }
    CompletableFuture<Response> answered = new CompletableFuture<>();
    enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        answered.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        answered.complete(response);
      }
    });
    try {
      return answered.get();
    } catch (InterruptedException e) {
      cancel();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  @Override
  public void cancel() {
    if (canceled) {
      return;
    }
    canceled = true;
    try {
      calls.loop.execute(() -> {
        if (callback != null) {
          fail(new IOException("Canceled"));
        }
      });
    } catch (RejectedExecutionException e) {
      // The loop is gone, and with it every connection.
    }
  }

  @Override
  public boolean isExecuted() {
    return executed.get();
  }

  @Override
  public boolean isCanceled() {
    return canceled;
  }

  /** No call-wide deadline: the canary cancels what its engine abandoned. */
  @Override
  public Timeout timeout() {
    return Timeout.NONE;
  }

  @Override
  public Call clone() {
    return new NettyCall(calls, original);
  }

  /** The first request, or a redirect's: not sent once the call was cancelled meanwhile. */
  private void sendUnlessCanceled() {
    if (canceled) {
      fail(new IOException("Canceled"));
    } else {
      send();
    }
  }

  private void send() {
    PollingConnection idle = calls.reusable(current.url());
    if (idle != null) {
      exchange(idle);
    } else {
      connectFresh();
    }
  }

  private void connectFresh() {
    calls.connect(current.url(), () -> canceled, (c, failure) -> {
      if (failure != null) {
        fail(asIOException(failure));
      } else {
        exchange(c);
      }
    });
  }

  private void exchange(PollingConnection c) {
    if (ended) {
      c.close(false);
      return;
    }
    DefaultFullHttpRequest encoded;
    try {
      encoded = RequestEncoder.encode(current);
    } catch (IOException e) {
      calls.release(c);
      fail(e);
      return;
    }
    connection = c;
    reused = c.begin(this);
    answer = null;
    skippingInformational = false;
    sentAtMillis = System.currentTimeMillis();
    c.channel.writeAndFlush(encoded).addListener(written -> {
      if (!written.isSuccess()) {
        c.fail(written.cause());
      }
    });
  }

  @Override
  public void received(HttpObject message) {
    if (ended) {
      return;
    }
    if (message.decoderResult().isFailure()) {
      // A broken status line or header, or headers past their limit: not HTTP we can read.
      ProtocolException broken = new ProtocolException("invalid answer: " + message.decoderResult().cause());
      broken.initCause(message.decoderResult().cause());
      connection.fail(broken);
      return;
    }
    if (message instanceof HttpResponse head) {
      int status = head.status().code();
      if (status >= 100 && status < 200) {
        // 100 Continue and friends: the real answer follows.
        skippingInformational = true;
      } else {
        skippingInformational = false;
        answer = new Answer(head, Redirects.isRedirect(status) && head.headers().contains(HttpHeaderNames.LOCATION));
      }
    }
    if (message instanceof HttpContent content) {
      if (skippingInformational || answer == null) {
        return;
      }
      if (!answer.append(content.content())) {
        PollingConnection c = detach();
        c.close(false);
        if (answer.tooLarge()) {
          fail(new BodyTooLarge(PollingTarget.MAX_BODY_BYTES));
        } else {
          // An error answer's first bytes are all its facts need; the rest is not read.
          complete();
        }
        return;
      }
      if (message instanceof LastHttpContent) {
        PollingConnection c = detach();
        if (HttpUtil.isKeepAlive(answer.head())) {
          calls.release(c);
        } else {
          c.close(false);
        }
        complete();
      }
    }
  }

  @Override
  public void closed(Throwable cause, boolean answerStarted) {
    if (ended) {
      return;
    }
    boolean wasReused = reused;
    connection = null;
    if (!answerStarted && wasReused && !retried && !canceled) {
      // A keep-alive connection the server (or a proxy) had closed while it was idle. A drill's
      // cut ends here too; its blackout then fails the fresh connection, as a lost network would.
      retried = true;
      answer = null;
      connectFresh();
      return;
    }
    if (cause != null) {
      fail(asIOException(cause));
    } else {
      fail(new EOFException(answer == null && !answerStarted
          ? "connection closed before an answer" : "unexpected end of stream"));
    }
  }

  private PollingConnection detach() {
    PollingConnection c = connection;
    connection = null;
    c.end();
    return c;
  }

  private void complete() {
    Answer done = answer;
    answer = null;
    if (done.followed()) {
      Request next;
      try {
        next = Redirects.follow(current, done.status(), done.headers().get(HttpHeaderNames.LOCATION), followUps);
      } catch (ProtocolException e) {
        fail(e);
        return;
      }
      if (next != null) {
        followUps++;
        current = next;
        retried = false;
        sendUnlessCanceled();
        return;
      }
    }
    Response response;
    try {
      response = done.toResponse(current, sentAtMillis);
    } catch (IllegalArgumentException e) {
      // A header OkHttp's types refuse (an empty or control-character name).
      ProtocolException broken = new ProtocolException("invalid answer header: " + e.getMessage());
      broken.initCause(e);
      fail(broken);
      return;
    }
    try {
      calls.observer.answered(response);
    } catch (IOException e) {
      fail(e);
      return;
    }
    ended = true;
    calls.ended(this);
    try {
      callback.onResponse(this, response);
    } catch (IOException | RuntimeException e) {
      log.atWarn().setCause(e).log("polling callback failed");
    }
  }

  private void fail(IOException why) {
    if (ended) {
      return;
    }
    ended = true;
    PollingConnection c = connection;
    if (c != null) {
      connection = null;
      c.end();
      // Mid-exchange: whatever it carries next would be this answer's rest.
      c.close(false);
    }
    calls.ended(this);
    try {
      callback.onFailure(this, why);
    } catch (RuntimeException e) {
      log.atWarn().setCause(e).log("polling callback failed");
    }
  }

  /**
   * What failed, as the exception types the failure's facts are read from: Netty names a connect
   * timeout a {@code ConnectException} subclass, which would read as a refused connection, and
   * wraps a TLS record error in a codec exception.
   */
  static IOException asIOException(Throwable t) {
    if (t instanceof ConnectTimeoutException) {
      SocketTimeoutException timeout = new SocketTimeoutException(t.getMessage());
      timeout.initCause(t);
      return timeout;
    }
    if (t instanceof DecoderException && t.getCause() instanceof IOException io) {
      return io;
    }
    if (t instanceof IOException io) {
      return io;
    }
    return new IOException(t);
  }
}
