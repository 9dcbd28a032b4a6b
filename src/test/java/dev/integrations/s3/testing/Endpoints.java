package dev.integrations.s3.testing;

import dev.integrations.s3.storage.StorageEndpoint;
import java.time.Duration;

/** Storage endpoints for tests: path style and the operator's default timeouts unless given. */
public final class Endpoints {
  private Endpoints() {}

  /** A plain or TLS endpoint without an extra CA. */
  public static StorageEndpoint of(String host, Integer port, boolean tls, String region) {
    return of(host, port, tls, region, null);
  }

  /** A plain or TLS endpoint trusting this CA bundle (null: the JVM's CAs only). */
  public static StorageEndpoint of(
      String host, Integer port, boolean tls, String region, String caPem) {
    return new StorageEndpoint(
        host,
        port,
        tls,
        region,
        false,
        caPem,
        StorageEndpoint.DEFAULT_CONNECT_TIMEOUT,
        StorageEndpoint.DEFAULT_READ_TIMEOUT);
  }

  /** The same endpoint with other timeouts. */
  public static StorageEndpoint withTimeouts(StorageEndpoint e, Duration connect, Duration read) {
    return new StorageEndpoint(
        e.host(), e.port(), e.tls(), e.region(), e.virtualHostStyle(), e.caPem(), connect, read);
  }
}
