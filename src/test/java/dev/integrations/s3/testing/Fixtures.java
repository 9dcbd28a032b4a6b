package dev.integrations.s3.testing;

import dev.integrations.s3.api.v1alpha1.BucketAccess;
import dev.integrations.s3.api.v1alpha1.CredentialsSpec;
import dev.integrations.s3.api.v1alpha1.KeyPairSecretRef;
import dev.integrations.s3.api.v1alpha1.ManagedCredentials;
import dev.integrations.s3.api.v1alpha1.PolicyRef;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicySpec;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationSpec;
import dev.integrations.s3.api.v1alpha1.TlsSpec;
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

  /** A managed (MinIO) integration against a plain-HTTP MinIO on this host and port. */
  public static S3Integration managed(
      String ns, String name, String host, int port, String adminSecret, String... policies) {
    S3Integration i = new S3Integration();
    i.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    S3IntegrationSpec spec = new S3IntegrationSpec();
    spec.setEndpoint(host);
    spec.setPort(port);
    TlsSpec tls = new TlsSpec();
    tls.setEnabled(false);
    spec.setTls(tls);
    CredentialsSpec creds = new CredentialsSpec();
    ManagedCredentials m = new ManagedCredentials();
    m.setAdminSecretRef(new KeyPairSecretRef(adminSecret));
    creds.setManaged(m);
    spec.setCredentials(creds);
    spec.setAccessPolicyRefs(Arrays.stream(policies).map(PolicyRef::new).toList());
    i.setSpec(spec);
    return i;
  }

  /** A validate-only integration (credentials.secretRef) scoped to a bucket, or to all if null. */
  public static S3Integration validateOnly(
      String ns, String name, String host, int port, String credentialsSecret, String bucket) {
    S3Integration i = new S3Integration();
    i.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    S3IntegrationSpec spec = new S3IntegrationSpec();
    spec.setEndpoint(host);
    spec.setPort(port);
    TlsSpec tls = new TlsSpec();
    tls.setEnabled(false);
    spec.setTls(tls);
    CredentialsSpec creds = new CredentialsSpec();
    creds.setSecretRef(new KeyPairSecretRef(credentialsSecret));
    spec.setCredentials(creds);
    spec.setBucket(bucket);
    i.setSpec(spec);
    return i;
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
}
