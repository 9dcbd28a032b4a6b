package dev.integrations.s3.reconciler;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.CaSecretRef;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.TlsSpec;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import dev.integrations.s3.testing.TestCa;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MinIO behind a certificate from a private CA made in the test: with tls.caSecretRef the admin
 * calls and the verification succeed; without it they fail with TLSError and a message a human
 * understands. There is no option that switches certificate checks off.
 */
@EnableKubernetesMockClient(crud = true)
class TlsIT {
  static KubernetesClient client;
  static OperatorHarness op;
  static TestCa ca;
  static MinioServer tlsMinio;

  @BeforeAll
  static void start() throws Exception {
    ca = TestCa.create("tls-it");
    tlsMinio = MinioServer.startTls(ca);
    op = new OperatorHarness(client, false);
  }

  @AfterAll
  static void stop() {
    op.close();
    tlsMinio.stop();
  }

  private String namespace(String bucket) throws Exception {
    String ns = "ns-" + MinioServer.randomSuffix();
    object(tlsMinio.rootS3(), bucket, "a.png", "png");
    client
        .resource(adminSecret(ns, "minio-admin", tlsMinio.accessKey(), tlsMinio.secretKey()))
        .create();
    client.resource(policy(ns, "read", bucket)).create();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("minio-ca")
                .withNamespace(ns)
                .endMetadata()
                .withStringData(Map.of("ca.crt", ca.caPem))
                .build())
        .create();
    return ns;
  }

  /** An S3Store for the TLS MinIO (with or without the CA) and an integration on it. */
  private S3Integration tlsIntegration(String ns, boolean withCa) {
    S3Store store = store(ns, "minio", tlsMinio.host(), tlsMinio.port(), "minio-admin");
    TlsSpec tls = new TlsSpec();
    tls.setEnabled(true);
    if (withCa) {
      CaSecretRef ref = new CaSecretRef();
      ref.setName("minio-ca");
      tls.setCaSecretRef(ref);
    }
    store.getSpec().setTls(tls);
    client.resource(store).create();
    return managed(ns, "viz", "minio", "read");
  }

  @Test
  void privateCaConfiguredGivesReadyOverHttps() throws Exception {
    String ns = namespace("tls-" + MinioServer.randomSuffix());
    client.resource(tlsIntegration(ns, true)).create();

    S3Integration ready = op.awaitReady(ns, "viz", "True", "Ready");
    assertThat(ready.getStatus().getEndpointURL())
        .isEqualTo("https://127.0.0.1:" + tlsMinio.port());
    assertThat(op.secretValue(ns, "viz-s3", "AWS_ENDPOINT_URL")).startsWith("https://");
    assertThat(op.secretValue(ns, "viz-s3", "ca.crt")).isEqualTo(ca.caPem);
  }

  @Test
  void withoutTheCaTheCertificateIsRefusedWithTlsError() throws Exception {
    String ns = namespace("notrust-" + MinioServer.randomSuffix());
    client.resource(tlsIntegration(ns, false)).create();

    op.awaitReady(ns, "viz", "False", "TLSError");
    assertThat(op.condition(ns, "viz", "Ready").orElseThrow().getMessage())
        .contains("TLS handshake with https://127.0.0.1:" + tlsMinio.port())
        .contains("tls.caSecretRef");
    assertThat(op.secret(ns, "viz-s3")).isNull();
  }

  @Test
  void missingCaSecretIsSecretNotFound() throws Exception {
    String ns = namespace("noca-" + MinioServer.randomSuffix());
    client.secrets().inNamespace(ns).withName("minio-ca").delete();
    client.resource(tlsIntegration(ns, true)).create();

    op.awaitReady(ns, "viz", "False", "SecretNotFound");
    assertThat(op.condition(ns, "viz", "Ready").orElseThrow().getMessage())
        .contains("\"minio-ca\"");
  }
}
