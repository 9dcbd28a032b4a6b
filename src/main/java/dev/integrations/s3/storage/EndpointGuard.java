package dev.integrations.s3.storage;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.SocketFactory;

/**
 * Which addresses a tenant's S3Store may make the operator connect to. A tenant with {@code edit}
 * in one namespace can name any host and port in an S3Store; without a guard the operator's pod
 * would probe its own network for them. The check is made on the address a socket connects to, at
 * connect time, after DNS resolution (a name that resolves to a refused address, now or after a
 * rebinding, is refused), for IP literals and names alike.
 *
 * <p>Always refused: the API server's address and port. Refused unless the allow-list names them:
 * link-local addresses (the cloud metadata service among them), the unspecified address, multicast,
 * and in a pod loopback. With an allow-list (CIDRs, {@code S3STORE_ALLOWED_CIDRS}), only addresses
 * inside it are allowed. Platform-owned ClusterS3Stores are not guarded: the platform names their
 * endpoints.
 *
 * <p>Process-wide: set once at start ({@link #configure}); unset (pure unit tests), nothing is
 * refused.
 */
public final class EndpointGuard {
  private static volatile EndpointGuard active;

  private final List<Cidr> allowed;
  private final boolean refuseLoopback;
  private final Set<InetSocketAddress> apiServer;

  private EndpointGuard(
      List<Cidr> allowed, boolean refuseLoopback, Set<InetSocketAddress> apiServer) {
    this.allowed = List.copyOf(allowed);
    this.refuseLoopback = refuseLoopback;
    this.apiServer = Set.copyOf(apiServer);
  }

  /**
   * The guard of this process.
   *
   * @param cidrs the allow-list, empty for "any address but the refused ones"
   * @param refuseLoopback whether loopback is refused (in a pod it is the operator itself; outside
   *     a cluster, in the demo and in development, it is where the storage runs)
   * @param apiServer the API server's addresses and ports
   * @throws IllegalArgumentException naming a CIDR that cannot be read
   */
  public static void configure(
      List<String> cidrs, boolean refuseLoopback, Set<InetSocketAddress> apiServer) {
    List<Cidr> parsed = new ArrayList<>();
    for (String c : cidrs) {
      parsed.add(Cidr.parse(c.trim()));
    }
    active = new EndpointGuard(parsed, refuseLoopback, apiServer);
  }

  /** No guard: nothing is refused (pure unit tests, after a test that configured one). */
  public static void reset() {
    active = null;
  }

  /** Why the address is refused, or null when it may be connected to. */
  public static String refusal(InetSocketAddress address) {
    EndpointGuard g = active;
    return g == null ? null : g.why(address);
  }

  private String why(InetSocketAddress to) {
    InetAddress a = to.getAddress();
    if (apiServer.contains(to)) {
      return "the Kubernetes API server";
    }
    if (allowed.stream().anyMatch(c -> c.contains(a))) {
      return null;
    }
    if (!allowed.isEmpty()) {
      return "outside the addresses the platform allows S3Stores";
    }
    if ((refuseLoopback && a.isLoopbackAddress())
        || a.isLinkLocalAddress()
        || a.isAnyLocalAddress()
        || a.isMulticastAddress()) {
      return "a loopback, link-local or special address";
    }
    return null;
  }

  /** A connect to a refused address: never attempted, so no port's state shows. */
  public static final class NotAllowedException extends ConnectException {
    NotAllowedException(String why) {
      super("the platform does not allow S3Stores to connect there (" + why + ")");
    }
  }

  /** Sockets that check their address when they connect. */
  public static SocketFactory socketFactory() {
    return FACTORY;
  }

  private static final SocketFactory FACTORY =
      new SocketFactory() {
        @Override
        public Socket createSocket() {
          return new GuardedSocket();
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
          Socket s = new GuardedSocket();
          s.connect(new InetSocketAddress(host, port));
          return s;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort)
            throws IOException {
          Socket s = new GuardedSocket();
          s.bind(new InetSocketAddress(local, localPort));
          s.connect(new InetSocketAddress(host, port));
          return s;
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
          Socket s = new GuardedSocket();
          s.connect(new InetSocketAddress(host, port));
          return s;
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
            throws IOException {
          Socket s = new GuardedSocket();
          s.bind(new InetSocketAddress(local, localPort));
          s.connect(new InetSocketAddress(host, port));
          return s;
        }
      };

  private static final class GuardedSocket extends Socket {
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      if (endpoint instanceof InetSocketAddress a) {
        if (a.getAddress() == null) {
          throw new UnknownHostException(a.getHostString());
        }
        String why = refusal(a);
        if (why != null) {
          close();
          throw new NotAllowedException(why);
        }
      }
      super.connect(endpoint, timeout);
    }
  }

  /** An address block. */
  record Cidr(byte[] network, int bits) {
    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      try {
        String literal = slash < 0 ? text : text.substring(0, slash);
        if (!literal.matches("[0-9a-fA-F:.]+")) { // a literal only: never a DNS lookup
          throw new IllegalArgumentException("not an address block: " + text);
        }
        InetAddress a = InetAddress.getByName(literal);
        int max = a.getAddress().length * 8;
        int bits = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
        if (bits < 0 || bits > max) {
          throw new IllegalArgumentException("not an address block: " + text);
        }
        return new Cidr(a.getAddress(), bits);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("not an address block: " + text);
      }
    }

    boolean contains(InetAddress a) {
      byte[] b = a.getAddress();
      if (b.length != network.length) {
        return false;
      }
      BigInteger mask =
          BigInteger.ONE.shiftLeft(b.length * 8).subtract(BigInteger.ONE).shiftRight(bits).not();
      return new BigInteger(1, b).and(mask).equals(new BigInteger(1, network).and(mask));
    }
  }
}
