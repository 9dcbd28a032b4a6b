package dev.integrations.s3.testing;

import dev.integrations.s3.api.v1alpha1.AllowRule;
import dev.integrations.s3.api.v1alpha1.BucketAccess;
import dev.integrations.s3.api.v1alpha1.CaSecretRef;
import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.CredentialsSpec;
import dev.integrations.s3.api.v1alpha1.KeyPairSecretRef;
import dev.integrations.s3.api.v1alpha1.ManagedCredentials;
import dev.integrations.s3.api.v1alpha1.PolicyRef;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicySpec;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationSpec;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.StoreAdmin;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import dev.integrations.s3.api.v1alpha1.StoreSpec;
import dev.integrations.s3.api.v1alpha1.TlsSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Builders for the resources tests apply, shaped like the YAML under examples/. */
public final class Fixtures {
  private Fixtures() {}

  public static Secret adminSecret(String ns, String name, String accessKey, String secretKey) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withType("Opaque")
        .withStringData(Map.of("accessKey", accessKey, "secretKey", secretKey))
        .build();
  }

  public static S3AccessPolicy policy(String ns, String name, String bucket, String... prefixes) {
    S3AccessPolicy p = new S3AccessPolicy();
    p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    S3AccessPolicySpec spec = new S3AccessPolicySpec();
    spec.setBuckets(
        List.of(new BucketAccess(bucket, prefixes.length == 0 ? null : Arrays.asList(prefixes))));
    p.setSpec(spec);
    return p;
  }

  /** The namespace the test operators run as: ClusterS3Store Secrets and records live here. */
  public static final String OPERATOR_NAMESPACE = "s3-operator";

  /** A team's own S3Store for a plain-HTTP MinIO, with its admin Secret in the same namespace. */
  public static S3Store store(String ns, String name, String host, int port, String adminSecret) {
    S3Store s = new S3Store();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    s.setSpec(storeSpec(host, port, adminSecret));
    return s;
  }

  /** A validate-only S3Store (no admin keys): integrations bring their own keys. */
  public static S3Store validateOnlyStore(String ns, String name, String host, int port) {
    return store(ns, name, host, port, null);
  }

  /**
   * A platform ClusterS3Store for a plain-HTTP MinIO; its admin Secret is in {@link
   * #OPERATOR_NAMESPACE}.
   */
  public static ClusterS3Store clusterStore(
      String name, String host, int port, String adminSecret, AllowRule... rules) {
    ClusterS3Store s = new ClusterS3Store();
    s.setMetadata(new ObjectMetaBuilder().withName(name).build());
    s.setSpec(storeSpec(host, port, adminSecret));
    s.getSpec().setAllow(List.of(rules));
    return s;
  }

  /**
   * A platform's ClusterS3Store on this MinIO, created with its admin Secret ({@code
   * <store>-admin}, the root keys) in {@code secretNamespace}, the operator's namespace.
   *
   * @param adjust changes to the store before it is created (a user prefix, ...)
   */
  public static ClusterS3Store createClusterStore(
      io.fabric8.kubernetes.client.KubernetesClient admin,
      String secretNamespace,
      String store,
      MinioServer minio,
      AllowRule rule,
      java.util.function.Consumer<ClusterS3Store> adjust) {
    admin
        .resource(
            adminSecret(secretNamespace, store + "-admin", minio.accessKey(), minio.secretKey()))
        .create();
    ClusterS3Store s = clusterStore(store, minio.host(), minio.port(), store + "-admin", rule);
    adjust.accept(s);
    return admin.resource(s).create();
  }

  /** An allow rule: namespaces with these labels may read buckets matching these globs. */
  public static AllowRule allow(Map<String, String> labels, String... bucketGlobs) {
    AllowRule r = new AllowRule();
    r.setNamespaceSelector(new LabelSelectorBuilder().withMatchLabels(labels).build());
    r.setBuckets(List.of(bucketGlobs));
    return r;
  }

  private static StoreSpec storeSpec(String host, int port, String adminSecret) {
    StoreSpec spec = new StoreSpec();
    spec.setEndpoint(host);
    spec.setPort(port);
    TlsSpec tls = new TlsSpec();
    tls.setEnabled(false);
    spec.setTls(tls);
    if (adminSecret != null) {
      StoreAdmin admin = new StoreAdmin();
      admin.setSecretRef(new KeyPairSecretRef(adminSecret));
      spec.setAdmin(admin);
    }
    return spec;
  }

  /** A managed integration on the S3Store of that name in its namespace. */
  public static S3Integration managed(String ns, String name, String store, String... policies) {
    return managed(ns, name, new StoreRef(StoreKind.S3Store, store), policies);
  }

  /** A managed integration on this store. */
  public static S3Integration managed(String ns, String name, StoreRef store, String... policies) {
    S3Integration i = new S3Integration();
    i.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    S3IntegrationSpec spec = new S3IntegrationSpec();
    spec.setStoreRef(store);
    CredentialsSpec creds = new CredentialsSpec();
    creds.setManaged(new ManagedCredentials());
    spec.setCredentials(creds);
    spec.setAccessPolicyRefs(Arrays.stream(policies).map(PolicyRef::new).toList());
    i.setSpec(spec);
    return i;
  }

  /**
   * A validate-only integration (credentials.secretRef) on the S3Store of that name, scoped to a
   * bucket, or to all if null.
   */
  public static S3Integration validateOnly(
      String ns, String name, String store, String credentialsSecret, String bucket) {
    S3Integration i = new S3Integration();
    i.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    S3IntegrationSpec spec = new S3IntegrationSpec();
    spec.setStoreRef(new StoreRef(StoreKind.S3Store, store));
    CredentialsSpec creds = new CredentialsSpec();
    creds.setSecretRef(new KeyPairSecretRef(credentialsSecret));
    spec.setCredentials(creds);
    spec.setBucket(bucket);
    i.setSpec(spec);
    return i;
  }

  /** A Secret holding a CA bundle under {@code ca.crt}, as {@code tls.caSecretRef} names it. */
  public static Secret caSecret(String ns, String name, String pem) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withStringData(Map.of("ca.crt", pem))
        .build();
  }

  /** TLS trusting the CA in that Secret (null: the JVM's CAs only). */
  public static TlsSpec tls(String caSecret) {
    TlsSpec tls = new TlsSpec();
    tls.setEnabled(true);
    if (caSecret != null) {
      CaSecretRef ref = new CaSecretRef();
      ref.setName(caSecret);
      tls.setCaSecretRef(ref);
    }
    return tls;
  }

  /** Creates the bucket if needed and puts one object with this content. */
  public static void object(MinioClient root, String bucket, String key, String content)
      throws Exception {
    if (!root.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
      root.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
    }
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    root.putObject(
        PutObjectArgs.builder().bucket(bucket).object(key).stream(
                new ByteArrayInputStream(bytes), bytes.length, -1)
            .build());
  }

  /**
   * Deletes the ClusterS3Store and checks that it stays, because an integration still uses it: its
   * finalizer holds, and the operator says why in Events (in "default", a ClusterS3Store's).
   *
   * @return the messages of the store's Events
   */
  public static List<String> deleteAndSeeItKeptInUse(
      io.fabric8.kubernetes.client.KubernetesClient admin, String store) {
    admin.resources(ClusterS3Store.class).withName(store).delete();
    org.awaitility.Awaitility.await()
        .during(java.time.Duration.ofSeconds(3))
        .atMost(java.time.Duration.ofSeconds(6))
        .until(() -> admin.resources(ClusterS3Store.class).withName(store).get() != null);
    List<io.fabric8.kubernetes.api.model.Event> events =
        admin.v1().events().inNamespace("default").list().getItems().stream()
            .filter(e -> store.equals(e.getInvolvedObject().getName()))
            .toList();
    org.assertj.core.api.Assertions.assertThat(events)
        .extracting(io.fabric8.kubernetes.api.model.Event::getReason)
        .contains("StoreInUse");
    return events.stream().map(io.fabric8.kubernetes.api.model.Event::getMessage).toList();
  }
}
