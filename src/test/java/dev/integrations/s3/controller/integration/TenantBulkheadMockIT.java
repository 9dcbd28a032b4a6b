package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.testing.HostileS3Server;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant points 20 integrations at its own "S3" server that answers one byte every 200 ms, so
 * each call holds a reconcile thread for its whole timeout. The operator has 10 reconcile threads;
 * without a bulkhead the tenant holds all of them. With one, a new integration on the platform's
 * MinIO in another namespace reaches Ready in its usual time.
 */
@EnableKubernetesMockClient(crud = true)
class TenantBulkheadMockIT {
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
  void aSlowTenantStoreDoesNotStarveOtherNamespaces() throws Exception {
    String tenant = "slow-" + MinioServer.randomSuffix();
    client
        .resource(
            adminSecret(
                tenant,
                "admin",
                "admin" + MinioServer.randomAlnum(6),
                "S" + MinioServer.randomAlnum(30)))
        .create();
    client.resource(store(tenant, "own", "127.0.0.1", slow.port(), "admin")).create();
    for (int i = 0; i < 20; i++) {
      // one bucket each: a namespace has at most one integration per scope
      client.resource(policy(tenant, "read-" + i, "media-" + i)).create();
      var viz = managed(tenant, "viz-" + i, "own", "read-" + i);
      viz.getSpec().setBucket("media-" + i);
      client.resource(viz).create();
    }
    // let the slow integrations take what they can
    Thread.sleep(3000);
    int asked = slow.requests();
    assertThat(asked).as("the slow server is being asked").isPositive();

    String healthy = "healthy-" + MinioServer.randomSuffix();
    String bucket = "bulkhead-" + MinioServer.randomSuffix();
    object(minio.rootS3(), bucket, "a.txt", "a");
    client
        .resource(adminSecret(healthy, "minio-admin", minio.accessKey(), minio.secretKey()))
        .create();
    client.resource(store(healthy, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(policy(healthy, "read", bucket)).create();
    long t0 = System.nanoTime();
    client.resource(managed(healthy, "viz", "minio", "read")).create();
    op.awaitReady(healthy, "viz", "True", "Ready");
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    System.out.printf(
        "beside 20 integrations on a dripping tenant store (%d requests to it so far), a new"
            + " integration on MinIO was Ready in %d ms%n",
        slow.requests(), took.toMillis());
    assertThat(took).isLessThan(Duration.ofSeconds(10));
  }
}
