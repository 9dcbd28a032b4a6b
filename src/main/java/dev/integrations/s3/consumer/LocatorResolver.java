package dev.integrations.s3.consumer;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.http.Method;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;

/**
 * Turns {@code s3://bucket/key} into a presigned GET URL, using only what the namespace's
 * resolved-config Secrets hold. Presigning is local (the region is always set, so nothing is asked
 * of the storage). Thread-safe.
 */
public final class LocatorResolver {
  /** Shortest expiry accepted. */
  public static final Duration MIN_EXPIRY = Duration.ofSeconds(1);

  /** Longest expiry accepted: S3's limit for SigV4 presigned URLs. */
  public static final Duration MAX_EXPIRY = Duration.ofDays(7);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final Supplier<RoutingTable> loader;
  private final Map<Route, MinioClient> clients = new ConcurrentHashMap<>();
  private final Map<Route, MinioClient> presigners = new ConcurrentHashMap<>();
  private volatile RoutingTable table;

  private LocatorResolver(Supplier<RoutingTable> loader) {
    this.loader = loader;
    this.table = loader.get();
  }

  /**
   * A resolver over the cluster's resolved-config Secrets in this namespace.
   *
   * @param requireReady when true (the default), a Secret is used only while its S3Integration is
   *     Ready, which needs get on s3integrations; false trusts every well-formed Secret
   */
  public static LocatorResolver fromCluster(
      KubernetesClient client, String namespace, boolean requireReady) {
    return new LocatorResolver(loader(client, namespace, requireReady));
  }

  /** With the ready check on. */
  public static LocatorResolver fromCluster(KubernetesClient client, String namespace) {
    return fromCluster(client, namespace, true);
  }

  /** A resolver over a fixed table (no cluster; {@link #refresh()} changes nothing). */
  public static LocatorResolver of(RoutingTable table) {
    Objects.requireNonNull(table, "table");
    return new LocatorResolver(() -> table);
  }

  private static Supplier<RoutingTable> loader(
      KubernetesClient client, String namespace, boolean requireReady) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(namespace, "namespace");
    ReadinessCheck check =
        requireReady ? IntegrationReadiness.fromCluster(client, namespace) : ReadinessCheck.NONE;
    return () ->
        RoutingTable.of(
            namespace,
            client
                .secrets()
                .inNamespace(namespace)
                .withLabel(ResolverKeys.MANAGED_BY_LABEL, ResolverKeys.MANAGED_BY)
                .list()
                .getItems(),
            check);
  }

  /** Lists the Secrets again (an embedding service calls this when Secrets change). */
  public LocatorResolver refresh() {
    RoutingTable fresh = loader.get();
    this.table = fresh;
    clients.keySet().retainAll(fresh.routes());
    presigners.keySet().retainAll(fresh.routes());
    return this;
  }

  /** The current routing table. */
  public RoutingTable routingTable() {
    return table;
  }

  /**
   * The route serving this locator.
   *
   * @throws IllegalArgumentException for a malformed locator
   * @throws NoRouteException when no usable Secret serves it
   */
  public Route route(String locator) {
    return table.require(S3Locator.parse(locator));
  }

  /**
   * A presigned GET URL for the object.
   *
   * @param locator {@code s3://bucket/key}
   * @param expiry between {@link #MIN_EXPIRY} and {@link #MAX_EXPIRY}
   * @throws IllegalArgumentException for a malformed locator or an expiry out of bounds
   * @throws NoRouteException when no usable Secret serves the locator
   * @throws IllegalStateException when signing fails
   */
  public URI presign(String locator, Duration expiry) {
    checkExpiry(expiry);
    return presign(S3Locator.parse(locator), expiry);
  }

  /** As {@link #presign(String, Duration)}. */
  public URI presign(S3Locator locator, Duration expiry) {
    Objects.requireNonNull(locator, "locator");
    checkExpiry(expiry);
    Route route = table.require(locator);
    try {
      String url =
          presigner(route)
              .getPresignedObjectUrl(
                  GetPresignedObjectUrlArgs.builder()
                      .method(Method.GET)
                      .bucket(locator.bucket())
                      .object(locator.key())
                      .expiry((int) expiry.toSeconds())
                      .build());
      return URI.create(url);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot presign "
              + locator
              + " with Secret "
              + route.namespace()
              + "/"
              + route.secretName()
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()),
          e);
    }
  }

  /**
   * Checks the expiry of a presigned URL.
   *
   * @throws IllegalArgumentException when it is missing or not within 1 second to 7 days
   */
  public static void checkExpiry(Duration expiry) {
    if (expiry == null) {
      throw new IllegalArgumentException("expiry is missing");
    }
    if (expiry.compareTo(MIN_EXPIRY) < 0 || expiry.compareTo(MAX_EXPIRY) > 0) {
      throw new IllegalArgumentException(
          "expiry "
              + expiry
              + " is out of bounds: a presigned URL lives at least 1 second and at most 7 days"
              + " (604800 seconds)");
    }
  }

  /**
   * A client for this route's endpoint with its keys, region, addressing style and, for https, the
   * JVM's CAs plus the Secret's {@code ca.crt}.
   */
  public MinioClient client(Route route) {
    return clients.computeIfAbsent(route, r -> newClient(r, r.endpointUrl()));
  }

  /**
   * The client that signs presigned URLs: on the route's public endpoint when its Secret names one
   * ({@code S3_PUBLIC_ENDPOINT_URL}: the host browsers reach), else the same as {@link #client}.
   * Signing sends nothing.
   */
  MinioClient presigner(Route route) {
    return route.publicEndpointUrl() == null
        ? client(route)
        : presigners.computeIfAbsent(route, r -> newClient(r, r.publicEndpointUrl()));
  }

  private static MinioClient newClient(Route route, URI endpoint) {
    OkHttpClient.Builder http =
        new OkHttpClient.Builder()
            .connectTimeout(CONNECT_TIMEOUT)
            .readTimeout(READ_TIMEOUT)
            .writeTimeout(READ_TIMEOUT)
            .followRedirects(false) // the storage's answer, never another host's
            .followSslRedirects(false);
    if (route.tls() && route.caPem() != null) {
      HandshakeCertificates trust = trust(route);
      http.sslSocketFactory(trust.sslSocketFactory(), trust.trustManager());
    }
    MinioClient client =
        MinioClient.builder()
            .endpoint(endpoint.toString())
            .region(route.region())
            .credentials(route.accessKeyId(), route.secretAccessKey())
            .httpClient(http.build(), true)
            .build();
    if (route.addressingStyle() == Route.AddressingStyle.VIRTUAL) {
      client.enableVirtualStyleEndpoint();
    } else {
      client.disableVirtualStyleEndpoint();
    }
    return client;
  }

  /** Trusts the platform's CAs and every certificate of the route's {@code ca.crt}. */
  static HandshakeCertificates trust(Route route) {
    HandshakeCertificates.Builder trust = new HandshakeCertificates.Builder();
    trust.addPlatformTrustedCertificates();
    try (var in = new ByteArrayInputStream(route.caPem().getBytes(StandardCharsets.UTF_8))) {
      var certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalStateException(
            "ca.crt of Secret " + route.secretName() + " holds no PEM certificate");
      }
      certs.forEach(c -> trust.addTrustedCertificate((X509Certificate) c));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "ca.crt of Secret " + route.secretName() + " is not valid PEM: " + e.getMessage(), e);
    }
    return trust.build();
  }
}
