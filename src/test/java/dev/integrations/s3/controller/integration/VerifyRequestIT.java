package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.api.v1alpha1.VerificationSpec;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.controller.integration.plan.VerificationSchedule;
import dev.integrations.s3.metrics.MetricNames;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code s3.integrations.dev/verify} annotation (what Argo CD's "verify" action sets) on the
 * real kube-apiserver and MinIO: a new value runs one verification, recorded in {@code
 * status.lastVerifyRequest} with {@code lastVerifiedTime}; the same value runs none; a value set
 * sooner than {@link VerificationSchedule#REQUEST_SPACING} after a verification waits for it. The
 * operator watches this test's namespace only, so its verification counter counts this
 * integration's verifications.
 */
class VerifyRequestIT {
  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;
  static String ns;

  @BeforeAll
  static void start() throws Exception {
    minio = MinioServer.shared();
    client = KubeApiServer.shared().client();
    ns = KubeApiServer.shared().createNamespace("verify");
    op =
        new OperatorHarness(
            client,
            true,
            OperatorConfig.fromEnv(
                Map.of(
                    OperatorConfig.WATCH_NAMESPACES,
                    ns + "," + Fixtures.OPERATOR_NAMESPACE,
                    OperatorConfig.OPERATOR_NAMESPACE,
                    Fixtures.OPERATOR_NAMESPACE,
                    OperatorConfig.HTTP_PORT,
                    "0",
                    OperatorConfig.PROBE_PORT,
                    "0")));
    String bucket = "verify-" + MinioServer.randomSuffix();
    object(minio.rootS3(), bucket, "a.txt", "alpha");
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(policy(ns, "read", bucket)).create();
    S3Integration viz = managed(ns, "viz", "minio", "read");
    // no scheduled verification during the test: only the requested ones run
    VerificationSpec hourly = new VerificationSpec();
    hourly.setInterval("1h");
    viz.getSpec().setVerification(hourly);
    client.resource(viz).create();
    op.awaitReady(ns, "viz", "True", "Ready");
  }

  @AfterAll
  static void stop() {
    if (op != null) {
      op.close();
    }
  }

  /** Verifications the operator ran, whatever their result. */
  private static double verifications() {
    return op.registry.find(MetricNames.VERIFICATIONS).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  private static S3IntegrationStatus status() {
    return op.integration(ns, "viz").getStatus();
  }

  private static void annotate(String key, String value) {
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .resources(S3Integration.class)
            .inNamespace(ns)
            .withName("viz")
            .edit(
                i -> {
                  Map<String, String> a =
                      i.getMetadata().getAnnotations() == null
                          ? new HashMap<>()
                          : new HashMap<>(i.getMetadata().getAnnotations());
                  a.put(key, value);
                  i.getMetadata().setAnnotations(a);
                  return i;
                });
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** Waits until the request is answered; returns when the verification ran. */
  private static Instant awaitAnswered(String value) {
    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> value.equals(status().getLastVerifyRequest()));
    return Instant.parse(status().getLastVerifiedTime());
  }

  @Test
  void aNewValueVerifiesOnceTheSameValueNeverAndASoonerOneWaitsForTheSpacing() {
    // past the spacing since the verification that made it Ready
    Instant ready = Instant.parse(status().getLastVerifiedTime());
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> Instant.now().isAfter(ready.plus(VerificationSchedule.REQUEST_SPACING)));
    double before = verifications();

    long t0 = System.nanoTime();
    annotate(ApiGroup.VERIFY_ANNOTATION, "first");
    Instant first = awaitAnswered("first");
    long answeredMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("verify request answered %d ms after the annotation%n", answeredMs);
    assertThat(first).as("lastVerifiedTime moved").isAfter(ready);
    assertThat(answeredMs)
        .as("answered at the next reconcile, not the next interval")
        .isLessThan(10_000);
    assertThat(verifications()).isEqualTo(before + 1);

    // another annotation wakes the reconcile; the handled value runs no verification again
    annotate("example.com/unrelated", "x");
    await()
        .during(Duration.ofSeconds(VerificationSchedule.REQUEST_SPACING.toSeconds() + 2))
        .atMost(Duration.ofSeconds(VerificationSchedule.REQUEST_SPACING.toSeconds() + 5))
        .until(
            () -> verifications() == before + 1 && "first".equals(status().getLastVerifyRequest()));
    assertThat(status().getLastVerifiedTime()).isEqualTo(first.toString());

    // two values in quick succession: the second waits for the spacing after the first
    annotate(ApiGroup.VERIFY_ANNOTATION, "second");
    Instant second = awaitAnswered("second");
    annotate(ApiGroup.VERIFY_ANNOTATION, "third");
    Instant third = awaitAnswered("third");
    System.out.printf(
        "verify requests spaced: %s after the one before%n", Duration.between(second, third));
    // status records whole seconds, and the spacing counts from when the reconcile began
    assertThat(Duration.between(second, third))
        .isGreaterThanOrEqualTo(VerificationSchedule.REQUEST_SPACING.minusSeconds(1));
    assertThat(verifications()).isEqualTo(before + 3);
  }
}
