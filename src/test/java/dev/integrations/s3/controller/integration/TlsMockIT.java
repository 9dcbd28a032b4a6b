package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.secret.TrustStore;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import dev.integrations.s3.testing.TestCa;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Base64;
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
class TlsMockIT {
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
    client.resource(Fixtures.caSecret(ns, "minio-ca", ca.caPem)).create();
    return ns;
  }

  /** An S3Store for the TLS MinIO (with or without the CA) and an integration on it. */
  private S3Integration tlsIntegration(String ns, boolean withCa) {
    S3Store store = store(ns, "minio", tlsMinio.host(), tlsMinio.port(), "minio-admin");
    store.getSpec().setTls(Fixtures.tls(withCa ? "minio-ca" : null));
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
  void theJvmTrustStoreSitsBesideTheSecretIsWrittenOnceAndFollowsARename() throws Exception {
    String ns = namespace("jvm-" + MinioServer.randomSuffix());
    client.resource(tlsIntegration(ns, true)).create();
    op.awaitReady(ns, "viz", "True", "Ready");

    ConfigMap cm = client.configMaps().inNamespace(ns).withName("viz-s3-truststore").get();
    assertThat(cm).as("ConfigMap viz-s3-truststore").isNotNull();
    assertThat(cm.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(r -> assertThat(r.getKind()).isEqualTo("S3Integration"));
    assertThat(Base64.getDecoder().decode(cm.getBinaryData().get("truststore.p12")))
        .isEqualTo(TrustStore.pkcs12(ca.caPem));
    assertThat(op.secretValue(ns, "viz-s3", "S3_JAVA_TOOL_OPTIONS"))
        .isEqualTo(
            "-Djavax.net.ssl.trustStore=/var/run/s3-integration/truststore.p12"
                + " -Djavax.net.ssl.trustStoreType=PKCS12");
    assertThat(op.secretValue(ns, "viz-s3", "AWS_CA_BUNDLE"))
        .isEqualTo("/var/run/s3-integration/ca.crt");

    // a reconcile with nothing to do writes neither the Secret nor the trust store
    String secretVersion = op.secret(ns, "viz-s3").getMetadata().getResourceVersion();
    String cmVersion = cm.getMetadata().getResourceVersion();
    client
        .resources(S3Integration.class)
        .inNamespace(ns)
        .withName("viz")
        .edit(
            i -> {
              i.getMetadata().setAnnotations(Map.of("touched", "1"));
              return i;
            });
    Thread.sleep(3000);
    assertThat(op.secret(ns, "viz-s3").getMetadata().getResourceVersion()).isEqualTo(secretVersion);
    assertThat(
            client
                .configMaps()
                .inNamespace(ns)
                .withName("viz-s3-truststore")
                .get()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(cmVersion);

    // a new Secret name: the trust store moves with it
    client
        .resources(S3Integration.class)
        .inNamespace(ns)
        .withName("viz")
        .edit(
            i -> {
              i.getSpec().setSecretName("viz-renamed");
              return i;
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(
                      client.configMaps().inNamespace(ns).withName("viz-renamed-truststore").get())
                  .isNotNull();
              assertThat(client.configMaps().inNamespace(ns).withName("viz-s3-truststore").get())
                  .isNull();
            });
  }

  /**
   * Issue 21, item 16, on the trust store too: annotations under the operator's prefix that it did
   * not write are removed; its own and everyone else's stay, and the trust store is unchanged.
   */
  @Test
  void forgedOperatorAnnotationsAreRemovedFromTheTrustStore() throws Exception {
    String ns = namespace("jvmf-" + MinioServer.randomSuffix());
    client.resource(tlsIntegration(ns, true)).create();
    op.awaitReady(ns, "viz", "True", "Ready");
    ConfigMap before = client.configMaps().inNamespace(ns).withName("viz-s3-truststore").get();
    client
        .configMaps()
        .inNamespace(ns)
        .withName("viz-s3-truststore")
        .edit(
            c -> {
              Map<String, String> a =
                  new java.util.HashMap<>(
                      c.getMetadata().getAnnotations() == null
                          ? Map.of()
                          : c.getMetadata().getAnnotations());
              a.put("s3.integrations.dev/user", "other-tenant.app");
              a.put("example.com/owner", "team-a");
              c.getMetadata().setAnnotations(a);
              return c;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .configMaps()
                            .inNamespace(ns)
                            .withName("viz-s3-truststore")
                            .get()
                            .getMetadata()
                            .getAnnotations())
                    .doesNotContainKey("s3.integrations.dev/user")
                    .containsEntry("example.com/owner", "team-a"));
    ConfigMap after = client.configMaps().inNamespace(ns).withName("viz-s3-truststore").get();
    assertThat(after.getBinaryData()).isEqualTo(before.getBinaryData());
    if (before.getMetadata().getAnnotations() != null) {
      before.getMetadata().getAnnotations().entrySet().stream()
          .filter(e -> e.getKey().startsWith("s3.integrations.dev/"))
          .forEach(
              e ->
                  assertThat(after.getMetadata().getAnnotations())
                      .as("the operator's own annotations stay")
                      .containsEntry(e.getKey(), e.getValue()));
    }
    op.awaitReady(ns, "viz", "True", "Ready");
  }

  @Test
  void aConfigMapOfThatNameThatIsNotOursIsNeverTouched() throws Exception {
    String ns = namespace("cmconflict-" + MinioServer.randomSuffix());
    client
        .configMaps()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("viz-s3-truststore")
                .withNamespace(ns)
                .endMetadata()
                .withData(Map.of("theirs", "keep"))
                .build())
        .create();
    client.resource(tlsIntegration(ns, true)).create();

    op.awaitReady(ns, "viz", "False", "SecretConflict");
    assertThat(op.condition(ns, "viz", "Ready").orElseThrow().getMessage())
        .contains("ConfigMap \"viz-s3-truststore\" already exists");
    assertThat(client.configMaps().inNamespace(ns).withName("viz-s3-truststore").get().getData())
        .containsExactlyEntriesOf(Map.of("theirs", "keep"));
    assertThat(op.secret(ns, "viz-s3")).as("answered before any write").isNull();
  }

  @Test
  void withoutTheCaTheCertificateIsRefusedAndTheTenantIsPointedAtTheTlsSettings() throws Exception {
    String ns = namespace("notrust-" + MinioServer.randomSuffix());
    client.resource(tlsIntegration(ns, false)).create();

    // a tenant's S3Store says the same for every connection failure (no port scanning); the
    // handshake's detail is in the operator's log
    op.awaitReady(ns, "viz", "False", "EndpointUnreachable");
    assertThat(op.condition(ns, "viz", "Ready").orElseThrow().getMessage())
        .contains("cannot reach https://127.0.0.1:" + tlsMinio.port() + " as S3 storage")
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
