package dev.integrations.s3.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.verify.AccessProber;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where a tenant's S3Store may make the operator connect: an S3-looking server on loopback stands
 * for whatever the tenant aims at; what is asserted is whether that server saw a connection.
 */
class EndpointGuardTest {
  HttpServer target;
  final AtomicInteger hits = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    target.createContext(
        "/",
        ex -> {
          hits.incrementAndGet();
          byte[] body = "<Error><Code>AccessDenied</Code></Error>".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(403, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    target.start();
  }

  @AfterEach
  void stop() {
    target.stop(0);
    EndpointGuard.reset();
  }

  StorageEndpoint tenantStore(String host, int port) {
    return new StorageEndpoint(
            host,
            port,
            false,
            "us-east-1",
            false,
            null,
            StorageEndpoint.DEFAULT_CONNECT_TIMEOUT,
            StorageEndpoint.DEFAULT_READ_TIMEOUT)
        .asGuarded();
  }

  int port() {
    return target.getAddress().getPort();
  }

  void assertRefused(StorageEndpoint endpoint) {
    assertThatThrownBy(() -> new AccessProber().reach(endpoint))
        .isInstanceOfSatisfying(
            StorageException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reasons.ENDPOINT_NOT_ALLOWED);
              assertThat(e.getMessage()).contains("does not allow S3Stores");
            });
  }

  @Test
  void inAPodLoopbackIsRefusedByAddressAndByNameWithoutAConnection() {
    EndpointGuard.configure(List.of(), true, Set.of());
    assertRefused(tenantStore("127.0.0.1", port()));
    assertRefused(tenantStore("localhost", port()));
    assertThat(hits).as("connections the target saw").hasValue(0);
  }

  @Test
  void linkLocalAndTheUnspecifiedAddressAreRefusedEverywhere() {
    EndpointGuard.configure(List.of(), false, Set.of());
    assertRefused(tenantStore("169.254.169.254", 80)); // the cloud metadata service
    assertRefused(tenantStore("0.0.0.0", port()));
    assertThat(hits).hasValue(0);
  }

  @Test
  void theApiServerIsRefusedEvenWhereItsAddressIsAllowed() {
    InetSocketAddress api = new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    EndpointGuard.configure(List.of("127.0.0.0/8"), true, Set.of(api));
    assertRefused(tenantStore("127.0.0.1", port()));
    assertThat(hits).hasValue(0);
  }

  @Test
  void anAllowListAdmitsOnlyItsBlocks() {
    EndpointGuard.configure(List.of("10.0.0.0/8"), false, Set.of());
    assertRefused(tenantStore("127.0.0.1", port()));
    assertThat(hits).hasValue(0);

    EndpointGuard.configure(List.of("10.0.0.0/8", "127.0.0.0/24"), true, Set.of());
    new AccessProber().reach(tenantStore("127.0.0.1", port()));
    assertThat(hits).hasValue(1);
  }

  @Test
  void aPlatformsEndpointIsNotGuarded() {
    EndpointGuard.configure(List.of(), true, Set.of());
    new AccessProber().reach(tenantStore("127.0.0.1", port()).withCa(null).unguarded());
    assertThat(hits).hasValue(1);
  }

  @Test
  void blocksAreReadExactly() {
    assertThat(EndpointGuard.Cidr.parse("10.1.0.0/16").contains(addr("10.1.255.7"))).isTrue();
    assertThat(EndpointGuard.Cidr.parse("10.1.0.0/16").contains(addr("10.2.0.1"))).isFalse();
    assertThat(EndpointGuard.Cidr.parse("0.0.0.0/0").contains(addr("192.0.2.1"))).isTrue();
    assertThat(EndpointGuard.Cidr.parse("::1/128").contains(addr("::1"))).isTrue();
    assertThat(EndpointGuard.Cidr.parse("::1/128").contains(addr("127.0.0.1"))).isFalse();
    assertThat(EndpointGuard.Cidr.parse("192.0.2.5").contains(addr("192.0.2.5"))).isTrue();
    for (String bad : List.of("example.com/8", "10.0.0.0/33", "10.0.0.0/x", "")) {
      assertThatThrownBy(() -> EndpointGuard.Cidr.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  static InetAddress addr(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
