package dev.integrations.s3.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.testing.TestCa;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** The consumer contract of the output Secret and its trust store, without a server. */
class ResolvedConfigSecretTest {
  static final String MOUNT = "/var/run/s3-integration";

  static ResolvedConfig config(Integer port, String caPem, String publicUrl) {
    return new ResolvedConfig(
        "AKID",
        "theSecretKey0123456789",
        "http://minio.storage.svc" + (port == null ? "" : ":" + port),
        "eu-central-1",
        "minio.storage.svc",
        port,
        "path",
        null,
        caPem,
        publicUrl,
        MOUNT);
  }

  @Test
  void everySdkFindsItsRegionAndTheConfigFileSaysPathStyle() {
    Map<String, String> d = ResolvedConfigSecret.data(config(9000, null, null));

    assertThat(d)
        .containsEntry("AWS_REGION", "eu-central-1")
        .containsEntry("AWS_DEFAULT_REGION", "eu-central-1") // botocore reads only this one
        .containsEntry("AWS_CONFIG_FILE", MOUNT + "/aws-config")
        .containsEntry("S3_PORT", "9000")
        .containsEntry(
            "aws-config",
            "[default]\ns3 =\n    addressing_style = path\n    signature_version = s3v4\n")
        // one pod spec for every store: the JVM's own trust when there is no CA
        .containsEntry("S3_JAVA_TOOL_OPTIONS", "-Ds3.integration.truststore=jvm-default");
    assertThat(d)
        .doesNotContainKeys(
            "AWS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "ca.crt", "S3_PUBLIC_ENDPOINT_URL");
  }

  @Test
  void emptyValuesAreLeftOutNotWrittenEmpty() {
    Map<String, String> d = ResolvedConfigSecret.data(config(null, null, null));
    assertThat(d).doesNotContainKeys("S3_PORT", "S3_BUCKET");
    assertThat(d.values()).allSatisfy(v -> assertThat(v).isNotEmpty());
  }

  @Test
  void aPrivateCaIsNamedForEveryRuntimeByItsMountedPath() {
    String ca = TestCa.create("secret-test").caPem;
    Map<String, String> d = ResolvedConfigSecret.data(config(9000, ca, "https://files.example"));

    assertThat(d)
        .containsEntry("ca.crt", ca)
        .containsEntry("AWS_CA_BUNDLE", MOUNT + "/ca.crt")
        .containsEntry("NODE_EXTRA_CA_CERTS", MOUNT + "/ca.crt")
        .containsEntry(
            "S3_JAVA_TOOL_OPTIONS",
            "-Djavax.net.ssl.trustStore="
                + MOUNT
                + "/truststore.p12 -Djavax.net.ssl.trustStoreType=PKCS12")
        .containsEntry("S3_PUBLIC_ENDPOINT_URL", "https://files.example");
  }

  @Test
  void everyValueIsTextAnEnvironmentCanHold() {
    // envFrom makes each key an environment variable (Kubernetes 1.32+: dotted keys too); a NUL
    // in one keeps the container from starting.
    String ca = TestCa.create("env-test").caPem;
    Map<String, String> d = ResolvedConfigSecret.data(config(9000, ca, "https://files.example"));
    assertThat(d.values()).allSatisfy(v -> assertThat(v).doesNotContain("\0"));
    assertThat(d).doesNotContainKey(TrustStore.FILE);
  }

  @Test
  void integrationJsonCarriesNoSecretAndNoFiles() throws Exception {
    String ca = TestCa.create("json-test").caPem;
    Map<String, String> d = ResolvedConfigSecret.data(config(9000, ca, null));
    String json = d.get("integration.json");

    assertThat(json).doesNotContain("theSecretKey0123456789").doesNotContain("BEGIN CERTIFICATE");
    JsonNode node = new ObjectMapper().readTree(json);
    assertThat(node.has("AWS_SECRET_ACCESS_KEY")).isFalse();
    assertThat(node.get("AWS_ACCESS_KEY_ID").asText()).isEqualTo("AKID");
    assertThat(node.get("AWS_CA_BUNDLE").asText()).isEqualTo(MOUNT + "/ca.crt");
    assertThat(node.get("S3_LOCATOR_PATTERN").asText()).isEqualTo("s3://*");
  }

  @Test
  void theTrustStoreIsTheSameBytesForTheSameCaSoAnUnchangedCaWritesNothing() throws Exception {
    TestCa ca = TestCa.create("determinism");
    byte[] first = TrustStore.pkcs12(ca.caPem);
    Thread.sleep(1100); // a time-dependent field would show now
    assertThat(TrustStore.pkcs12(ca.caPem)).isEqualTo(first);
    assertThat(TrustStore.pkcs12(TestCa.create("other").caPem)).isNotEqualTo(first);
  }

  @Test
  void aJvmLoadsTheTrustStoreWithoutAPasswordAndTrustsTheServerCertificate() throws Exception {
    TestCa ca = TestCa.create("jvm-trust");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(new ByteArrayInputStream(TrustStore.pkcs12(ca.caPem)), null);
    assertThat(store.isCertificateEntry("ca-0")).isTrue();

    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(store);
    X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
    X509Certificate server =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(ca.serverCertPem.getBytes(StandardCharsets.UTF_8)));
    tm.checkServerTrusted(new X509Certificate[] {server}, "ECDHE_ECDSA"); // throws if untrusted
  }

  @Test
  void theTrustStoreGoesIntoAConfigMapOwnedLikeTheSecret() {
    S3Integration owner = new S3Integration();
    owner.setMetadata(
        new ObjectMetaBuilder().withName("viz").withNamespace("team-a").withUid("u-1").build());
    String ca = TestCa.create("configmap").caPem;
    ConfigMap cm = TrustStore.build(owner, "viz-s3", ca);

    assertThat(cm.getMetadata().getName()).isEqualTo("viz-s3-truststore");
    assertThat(cm.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(cm.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "s3-integration-operator")
        .containsEntry("s3.integrations.dev/integration", "viz");
    assertThat(cm.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getUid()).isEqualTo("u-1");
              assertThat(r.getController()).isTrue();
            });
    assertThat(Base64.getDecoder().decode(cm.getBinaryData().get("truststore.p12")))
        .isEqualTo(TrustStore.pkcs12(ca));
    assertThat(TrustStore.configMapName("x".repeat(253))).hasSizeLessThanOrEqualTo(253);
    assertThat(cm.getData()).as("nothing but the trust store").isNullOrEmpty();
  }

  @Test
  void aBundleWithoutCertificatesIsRefused() {
    assertThatThrownBy(() -> TrustStore.pkcs12("not a certificate"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trust store");
  }
}
