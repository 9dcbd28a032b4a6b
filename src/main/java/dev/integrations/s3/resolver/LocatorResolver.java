package dev.integrations.s3.resolver;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.http.Method;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

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
  private volatile RoutingTable table;

  private LocatorResolver(Supplier<RoutingTable> loader) {
    this.loader = loader;
    this.table = loader.get();
  }

  /**
   * A resolver over the cluster's resolved-config Secrets in this namespace, used only while their
   * S3Integration is Ready.
   */
  public LocatorResolver(KubernetesClient client, String namespace) {
    this(client, namespace, true);
  }

  /**
   * A resolver over the cluster's resolved-config Secrets in this namespace.
   *
   * @param requireReady when true (the default), a Secret is used only while its S3Integration is
   *     Ready, which needs get on s3integrations; false trusts every well-formed Secret
   */
  public LocatorResolver(KubernetesClient client, String namespace, boolean requireReady) {
    this(loader(client, namespace, requireReady));
  }

  /** Same as {@link #LocatorResolver(KubernetesClient, String, boolean)}. */
  public static LocatorResolver fromCluster(
      KubernetesClient client, String namespace, boolean requireReady) {
    return new LocatorResolver(client, namespace, requireReady);
  }

  /** With the ready check on. */
  public static LocatorResolver fromCluster(KubernetesClient client, String namespace) {
    return new LocatorResolver(client, namespace, true);
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
          client(route)
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
    return clients.computeIfAbsent(route, LocatorResolver::newClient);
  }

  private static MinioClient newClient(Route route) {
    OkHttpClient.Builder http =
        new OkHttpClient.Builder()
            .connectTimeout(CONNECT_TIMEOUT)
            .readTimeout(READ_TIMEOUT)
            .writeTimeout(READ_TIMEOUT);
    if (route.tls() && route.caPem() != null) {
      X509TrustManager trust = trustManager(route);
      try {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {trust}, null);
        http.sslSocketFactory(ssl.getSocketFactory(), trust);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(
            "cannot set up TLS with ca.crt of Secret " + route.secretName() + ": " + e, e);
      }
    }
    MinioClient client =
        MinioClient.builder()
            .endpoint(route.endpointUrl().toString())
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

  /** Trusts the JVM's default CAs and every certificate of the route's {@code ca.crt}. */
  static X509TrustManager trustManager(Route route) {
    try {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(route.caPem().getBytes(StandardCharsets.UTF_8)));
      if (certs.isEmpty()) {
        throw new IllegalStateException(
            "ca.crt of Secret " + route.secretName() + " holds no PEM certificate");
      }
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      List<X509TrustManager> managers = new ArrayList<>();
      managers.add(trustManagerOf(ks));
      managers.add(trustManagerOf(null));
      return new AnyOf(managers);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "ca.crt of Secret " + route.secretName() + " is not valid PEM: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManagerOf(KeyStore ks) throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509TrustManager available");
  }

  /** Accepts a server chain when any delegate does. */
  private record AnyOf(List<X509TrustManager> delegates) implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      delegates.get(delegates.size() - 1).checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      CertificateException last = null;
      for (X509TrustManager d : delegates) {
        try {
          d.checkServerTrusted(chain, authType);
          return;
        } catch (CertificateException e) {
          last = e;
        }
      }
      throw last;
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegates.stream()
          .flatMap(d -> Arrays.stream(d.getAcceptedIssuers()))
          .toArray(X509Certificate[]::new);
    }
  }
}
