package io.socketiocanary.client.polling;

import java.net.ProtocolException;

/**
 * A polling answer longer than {@link PollingTarget#MAX_BODY_BYTES}: a server that is not a
 * Socket.IO server, or a hostile one. The call fails with it instead of buffering more.
 */
public final class BodyTooLarge extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public BodyTooLarge(long limit) {
    super("response body larger than " + limit + " bytes");
  }
}
