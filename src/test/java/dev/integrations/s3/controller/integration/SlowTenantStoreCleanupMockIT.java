package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.allow;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.testing.HostileS3Server;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deletions are tenant-store work too: 20 integrations, Ready on a tenant's S3Store, are deleted
 * after the tenant pointed that store at a server that answers one byte every 200 ms. Each clean-up
 * would hold a reconcile thread for a call's whole timeout, and again at every retry; with the
 * tenant bulkhead, a new integration on the platform's ClusterS3Store in another namespace is Ready
 * in its usual time.
 */
@EnableKubernetesMockClient(crud = true)
class SlowTenantStoreCleanupMockIT {
  static final int INTEGRATIONS = 20;

  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;
  static HostileS3Server slow;

  @BeforeAll
  static void start() throws Exception {
    minio = MinioServer.shared();
    slow = new HostileS3Server(HostileS3Server.Mode.DRIP);
    op = new OperatorHarness(client, false);
  }

  @AfterAll
  static void stop() throws Exception {
    op.close();
    slow.close();
  }

  @Test
  void cleanUpsOnASlowTenantStoreLeavePlatformWorkItsThreads() throws Exception {
    String run = MinioServer.randomSuffix();
    String tenant = "gone-slow-" + run;
    client
        .resource(adminSecret(tenant, "minio-admin", minio.accessKey(), minio.secretKey()))
        .create();
    client.resource(store(tenant, "own", minio.host(), minio.port(), "minio-admin")).create();
    for (int i = 0; i < INTEGRATIONS; i++) {
      String bucket = "cleanup-" + i + "-" + run;
      object(minio.rootS3(), bucket, "a.txt", "a");
      client.resource(policy(tenant, "read-" + i, bucket)).create();
      var viz = managed(tenant, "viz-" + i, "own", "read-" + i);
      viz.getSpec().setBucket(bucket);
      client.resource(viz).create();
    }
    for (int i = 0; i < INTEGRATIONS; i++) {
      op.awaitReady(tenant, "viz-" + i, "True", "Ready");
    }
    // the tenant points its store at a server that drips, then deletes its integrations
    client
        .resources(S3Store.class)
        .inNamespace(tenant)
        .withName("own")
        .edit(
            s -> {
              s.getSpec().setEndpoint("127.0.0.1");
              s.getSpec().setPort(slow.port());
              return s;
            });
    for (int i = 0; i < INTEGRATIONS; i++) {
      client.resources(S3Integration.class).inNamespace(tenant).withName("viz-" + i).delete();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> slow.requests() > 0); // the clean-ups have started
    Thread.sleep(2000);

    String platform = "platform-" + run;
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(platform)
                .withLabels(Map.of("team", platform))
                .endMetadata()
                .build())
        .create();
    String bucket = "fair-" + run;
    object(minio.rootS3(), bucket, "a.txt", "a");
    String storeName = "platform-" + run;
    Fixtures.createClusterStore(
        client,
        Fixtures.OPERATOR_NAMESPACE,
        storeName,
        minio,
        allow(Map.of("team", platform), bucket),
        s -> {});
    client.resource(policy(platform, "read", bucket)).create();
    long t0 = System.nanoTime();
    client
        .resource(
            managed(platform, "viz", new StoreRef(StoreKind.ClusterS3Store, storeName), "read"))
        .create();
    // long enough to measure the operator without the bulkhead on clean-ups too
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                op.condition(platform, "viz", "Ready")
                    .filter(c -> "True".equals(c.getStatus()))
                    .isPresent());
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    System.out.printf(
        "beside %d deletions waiting on a dripping tenant store (%d requests to it so far), a new"
            + " integration on a ClusterS3Store was Ready in %d ms%n",
        INTEGRATIONS, slow.requests(), took.toMillis());
    assertThat(took).isLessThan(Duration.ofSeconds(10));
  }
}
