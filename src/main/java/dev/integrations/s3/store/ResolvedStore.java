package dev.integrations.s3.store;

import dev.integrations.s3.api.v1alpha1.AddressingStyle;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import dev.integrations.s3.api.v1alpha1.StoreSpec;
import dev.integrations.s3.api.v1alpha1.TlsSpec;
import dev.integrations.s3.storage.StorageEndpoint;

/**
 * A store an integration uses, with where its Secrets are: the operator's namespace for a
 * ClusterS3Store, the store's own for an S3Store.
 *
 * @param kind ClusterS3Store or S3Store
 * @param name its name
 * @param namespace its namespace (S3Store), or null
 * @param spec its spec
 * @param secretsNamespace where its admin and CA Secrets are
 * @param deleting it is being deleted (its deletion waits for the integrations it serves, and it
 *     takes no new ones)
 */
public record ResolvedStore(
    StoreKind kind,
    String name,
    String namespace,
    StoreSpec spec,
    String secretsNamespace,
    boolean deleting) {

  /** A store that is not being deleted. */
  public ResolvedStore(
      StoreKind kind, String name, String namespace, StoreSpec spec, String secretsNamespace) {
    this(kind, name, namespace, spec, secretsNamespace, false);
  }

  /**
   * Its identity in records and messages: {@code ClusterS3Store/<name>} or {@code
   * S3Store/<ns>/<name>}.
   */
  public String id() {
    return id(kind, namespace, name);
  }

  /**
   * The id of the store an integration names ({@code storeRef}, ClusterS3Store when no kind is
   * given), or empty when it names none.
   */
  public static java.util.Optional<String> idOf(S3Integration i) {
    StoreRef ref = i.getSpec() == null ? null : i.getSpec().getStoreRef();
    if (ref == null || ref.getName() == null) {
      return java.util.Optional.empty();
    }
    StoreKind kind = ref.getKind() == null ? StoreKind.ClusterS3Store : ref.getKind();
    return java.util.Optional.of(id(kind, i.getMetadata().getNamespace(), ref.getName()));
  }

  public static String id(StoreKind kind, String namespace, String name) {
    return kind == StoreKind.ClusterS3Store
        ? "ClusterS3Store/" + name
        : "S3Store/" + namespace + "/" + name;
  }

  /** Whether the operator may administer it (it has admin keys). */
  public boolean managed() {
    return spec.getAdmin() != null && spec.getAdmin().getSecretRef() != null;
  }

  /** The prefix of managed user names on it. */
  public String userPrefix() {
    return spec.getAdmin() == null || spec.getAdmin().getUserPrefix() == null
        ? ""
        : spec.getAdmin().getUserPrefix();
  }

  /** Whether TLS is on (the default). */
  public boolean tls() {
    TlsSpec tls = spec.getTls();
    return tls == null || tls.getEnabled() == null || tls.getEnabled();
  }

  /**
   * The browser-facing endpoint ({@code spec.publicEndpoint}) as a storage endpoint with the same
   * region and addressing, without a CA; empty when the store has none.
   */
  public java.util.Optional<StorageEndpoint> publicEndpoint() {
    if (spec.getPublicEndpoint() == null || spec.getPublicEndpoint().isBlank()) {
      return java.util.Optional.empty();
    }
    java.util.regex.Matcher url = PUBLIC_URL.matcher(spec.getPublicEndpoint());
    if (!url.matches()) {
      return java.util.Optional.empty(); // the CRD's pattern keeps such a value out
    }
    String host = url.group(3) != null ? url.group(3) : url.group(4);
    return java.util.Optional.of(
        new StorageEndpoint(
            host,
            url.group(6) == null ? null : Integer.valueOf(url.group(6)),
            "https".equals(url.group(1)),
            spec.getRegion() == null ? "us-east-1" : spec.getRegion(),
            spec.getAddressingStyle() == AddressingStyle.VIRTUAL,
            null,
            StorageEndpoint.DEFAULT_CONNECT_TIMEOUT,
            StorageEndpoint.DEFAULT_READ_TIMEOUT,
            kind == StoreKind.S3Store));
  }

  /** scheme, then a bracketed IPv6 address (3) or a host (4), then an optional port (6). */
  private static final java.util.regex.Pattern PUBLIC_URL =
      java.util.regex.Pattern.compile(
          "^(https?)://(\\[([0-9A-Fa-f:.]+)\\]|([^:/\\[\\]]+))(:([0-9]{1,5}))?$");

  /** The endpoint, without its CA (read from a Secret when needed). */
  public StorageEndpoint endpoint() {
    return new StorageEndpoint(
        spec.getEndpoint(),
        spec.getPort(),
        tls(),
        spec.getRegion() == null ? "us-east-1" : spec.getRegion(),
        spec.getAddressingStyle() == AddressingStyle.VIRTUAL,
        null,
        StorageEndpoint.DEFAULT_CONNECT_TIMEOUT,
        StorageEndpoint.DEFAULT_READ_TIMEOUT,
        kind == StoreKind.S3Store); // a tenant's: EndpointGuard decides where it may connect
  }
}
