package io.socketiocanary.client.dial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

class HostAddressesTest {
  @Test
  void ipLiteralsNeedNoLookupAndNamesDo() {
    assertThat(HostAddresses.literal("127.0.0.1")).extracting(InetAddress::getHostAddress).isEqualTo("127.0.0.1");
    assertThat(HostAddresses.literal("[::1]")).extracting(InetAddress::getHostAddress).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(HostAddresses.literal("::1")).isNotNull();
    assertThat(HostAddresses.literal("canary.test")).isNull();
    // Not an address: a name, for the resolver to refuse (the old pattern took it for one and threw).
    assertThat(HostAddresses.literal("999.1.1.1")).isNull();
  }

  @Test
  void aLookupGivesEveryAddressInTheResolversOrder() throws Exception {
    InetAddress first = InetAddress.getByName("127.0.0.2");
    InetAddress second = InetAddress.getByName("127.0.0.1");
    assertThat(HostAddresses.lookUp(host -> new InetAddress[] {first, second}, "canary.test"))
        .containsExactly(first, second);
    assertThatThrownBy(() -> HostAddresses.lookUp(host -> new InetAddress[0], "canary.test"))
        .isInstanceOf(UnknownHostException.class).hasMessageContaining("canary.test");
  }

  @Test
  void onlyAFailureToConnectMovesOnToTheNextAddress() {
    assertThat(HostAddresses.worthTheNext(new ConnectException("Connection refused"))).isTrue();
    assertThat(HostAddresses.worthTheNext(new ConnectTimeoutException("connection timed out"))).isTrue();
    assertThat(HostAddresses.worthTheNext(new NoRouteToHostException("No route to host"))).isTrue();
    assertThat(HostAddresses.worthTheNext(new IOException("Canceled"))).isFalse();
    assertThat(HostAddresses.worthTheNext(new SSLException("handshake"))).isFalse();
  }

  @Test
  void theFirstAddressesFailureIsReportedWithTheLaterOnesSuppressed() {
    ConnectException first = new ConnectException("first");
    ConnectException second = new ConnectException("second");
    assertThat(HostAddresses.combined(null, first)).isSameAs(first);
    Throwable both = HostAddresses.combined(first, second);
    assertThat(both).isSameAs(first);
    assertThat(both.getSuppressed()).containsExactly(second);
    assertThat(HostAddresses.combined(first, first).getSuppressed()).containsExactly(second);
  }
}
