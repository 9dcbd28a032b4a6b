package dev.integrations.s3.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach an S3-compatible service: what {@code spec.endpoint}, {@code port}, {@code
 * region}, {@code addressingStyle} and {@code tls} resolve to.
 *
 * @param host host name or IP address, no scheme
 * @param port port, or null for the scheme's default
 * @param tls HTTPS when true
 * @param region signing region
 * @param virtualHostStyle virtual-host addressing instead of path style
 * @param caPem PEM bundle of extra trusted CAs, or null for the JVM's default trust store only
 * @param connectTimeout TCP connect timeout
 * @param readTimeout read (and write) timeout of each call
 * @param guarded connects only to addresses {@link EndpointGuard} allows (a tenant's S3Store)
 */
public record StorageEndpoint(
    String host,
    Integer port,
    boolean tls,
    String region,
    boolean virtualHostStyle,
    String caPem,
    Duration connectTimeout,
    Duration readTimeout,
    boolean guarded) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(20);

  public StorageEndpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
  }

  /** An endpoint the platform names (not guarded). */
  public StorageEndpoint(
      String host,
      Integer port,
      boolean tls,
      String region,
      boolean virtualHostStyle,
      String caPem,
      Duration connectTimeout,
      Duration readTimeout) {
    this(host, port, tls, region, virtualHostStyle, caPem, connectTimeout, readTimeout, false);
  }

  /** The same endpoint, connecting only where {@link EndpointGuard} allows. */
  public StorageEndpoint asGuarded() {
    return new StorageEndpoint(
        host, port, tls, region, virtualHostStyle, caPem, connectTimeout, readTimeout, true);
  }

  /** The same endpoint, not guarded. */
  public StorageEndpoint unguarded() {
    return new StorageEndpoint(
        host, port, tls, region, virtualHostStyle, caPem, connectTimeout, readTimeout, false);
  }

  /** {@code http(s)://host[:port]}, the form consumers put into AWS_ENDPOINT_URL. */
  public String url() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return (tls ? "https://" : "http://") + h + (port == null ? "" : ":" + port);
  }

  /** The same endpoint with this read (and write) timeout. */
  public StorageEndpoint withReadTimeout(Duration timeout) {
    return new StorageEndpoint(
        host, port, tls, region, virtualHostStyle, caPem, connectTimeout, timeout, guarded);
  }

  /** The same endpoint trusting this CA bundle (null: the JVM's CAs only). */
  public StorageEndpoint withCa(String pem) {
    return new StorageEndpoint(
        host, port, tls, region, virtualHostStyle, pem, connectTimeout, readTimeout, guarded);
  }
}
