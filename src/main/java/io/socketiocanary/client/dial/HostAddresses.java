package io.socketiocanary.client.dial;

import io.netty.util.NetUtil;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Where a canary connects: every address its host name resolves to, in the resolver's order, the
 * next one dialled when a connect to one fails, as OkHttp's routes and browsers do. Dialling only
 * the first would page for a target whose real clients are fine: a DNS round robin with one dead
 * node, a name with an IPv6 address this network cannot reach before its IPv4 one. Both
 * transports dial through here (polling's {@code PollingCalls}, the WebSockets' dialer).
 */
public final class HostAddresses {
  /** Looks a host name up. The system's resolver blocks: call it on a fleet's lookup threads only. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** The JVM's resolver: /etc/hosts, then DNS, cached as the JVM caches. */
  public static final Resolver SYSTEM = InetAddress::getAllByName;

  private HostAddresses() {}

  /** The one address of an IP literal ({@code [::1]} included), or null for a name to look up. */
  public static InetAddress literal(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!NetUtil.isValidIpV4Address(bare) && !NetUtil.isValidIpV6Address(bare)) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bare, NetUtil.createByteArrayFromIpAddressString(bare));
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Every address of {@code host}, in the resolver's order; never empty. */
  public static List<InetAddress> lookUp(Resolver resolver, String host) throws UnknownHostException {
    InetAddress[] found = resolver.resolve(host);
    if (found == null || found.length == 0) {
      throw new UnknownHostException(host + ": no addresses");
    }
    return List.of(found);
  }

  /**
   * Whether a failed TCP connect to one address is worth dialling the host's next: refused,
   * unreachable or timed out (Netty's connect timeout is a {@link ConnectException}). A cancel,
   * or anything after the connection was made (TLS, the HTTP answer), is the target's answer.
   */
  public static boolean worthTheNext(Throwable connectFailure) {
    return connectFailure instanceof ConnectException || connectFailure instanceof NoRouteToHostException;
  }

  /**
   * What a connect that tried several addresses reports: the first address's failure (the one
   * the resolver ranked first, as OkHttp reports), with each later one attached as suppressed.
   */
  public static Throwable combined(Throwable first, Throwable later) {
    if (first == null) {
      return later;
    }
    if (later != null && later != first) {
      first.addSuppressed(later);
    }
    return first;
  }
}
