package io.socketiocanary.testsupport;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A TLS-terminating TCP proxy on 127.0.0.1, as a load balancer in front of a server would be:
 * TLS with the given key and certificate chain on {@code port}, plain TCP to {@code upstream}.
 * It lives as long as {@code vertx}.
 */
public final class TlsTerminator {
  private TlsTerminator() {}

  public static void start(Vertx vertx, int port, int upstream, Path key, Path certChain) throws Exception {
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(port).setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setKeyPath(key.toString()).setCertPath(certChain.toString())));
    server.connectHandler(inbound -> {
      inbound.pause();
      vertx.createNetClient().connect(upstream, "127.0.0.1").onSuccess(outbound -> {
        inbound.handler(outbound::write);
        outbound.handler(inbound::write);
        inbound.closeHandler(v -> outbound.close());
        outbound.closeHandler(v -> inbound.close());
        inbound.resume();
      }).onFailure(e -> inbound.close());
    });
    server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
