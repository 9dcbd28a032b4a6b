package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.minio.RemoveObjectArgs;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verification repeats every interval, but an unchanged result writes nothing to Kubernetes: not
 * the status (its lastVerifiedTime moves only with the results), not the Secret. On the real
 * kube-apiserver, with a 2-second default interval so that several verifications fit in the test.
 */
class QuietVerificationIT {
  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;

  @BeforeAll
  static void start() {
    minio = MinioServer.shared();
    client = KubeApiServer.shared().client();
    op =
        new OperatorHarness(
            client,
            true,
            OperatorConfig.fromEnv(Map.of("VERIFICATION_INTERVAL", "2s"))
                .withOperatorNamespace(Fixtures.OPERATOR_NAMESPACE));
  }

  @AfterAll
  static void stop() {
    op.close();
  }

  private double verifications() {
    return op.registry.find("s3.operator.verifications").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  @Test
  void unchangedVerificationsWriteNothingAndAChangedResultIsWritten() throws Exception {
    String ns = KubeApiServer.shared().createNamespace("quiet");
    String bucket = "quiet-" + MinioServer.randomSuffix();
    object(minio.rootS3(), bucket, "a.png", "png");
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(policy(ns, "read", bucket)).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();
    S3Integration ready = op.awaitReady(ns, "viz", "True", "Ready");
    Thread.sleep(1500); // the writes of getting there have landed

    S3Integration before = op.integration(ns, "viz");
    String integrationVersion = before.getMetadata().getResourceVersion();
    String secretVersion = op.secret(ns, "viz-s3").getMetadata().getResourceVersion();
    double verified = verifications();

    Thread.sleep(8000); // four intervals

    assertThat(verifications() - verified).as("verifications in 8 s").isGreaterThanOrEqualTo(2);
    S3Integration after = op.integration(ns, "viz");
    assertThat(after.getMetadata().getResourceVersion())
        .as("the integration (status included) was not written")
        .isEqualTo(integrationVersion);
    assertThat(after.getStatus().getLastVerifiedTime())
        .isEqualTo(before.getStatus().getLastVerifiedTime())
        .isEqualTo(ready.getStatus().getLastVerifiedTime());
    assertThat(op.secret(ns, "viz-s3").getMetadata().getResourceVersion()).isEqualTo(secretVersion);

    // the storage changes: the next verification finds it and says so, with a new time
    minio.rootS3().removeObject(RemoveObjectArgs.builder().bucket(bucket).object("a.png").build());
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(op.integration(ns, "viz").getStatus().getLastVerifiedTime())
                    .isGreaterThan(before.getStatus().getLastVerifiedTime()));
    assertThat(op.integration(ns, "viz").getStatus().getBuckets())
        .singleElement()
        .satisfies(b -> assertThat(b.getGet().name()).isEqualTo("NoObjects"));
  }
}
