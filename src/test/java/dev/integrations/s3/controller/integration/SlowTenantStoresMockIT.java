package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.allow;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
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
 * Issue 21, item 6: tenants in 10 namespaces (more than the 10 reconcile threads' half, 5, divided
 * by 2 permits) each point 2 S3Stores and 2 integrations at their own "S3" server, which answers
 * one byte every 200 ms: 20 store checks and 20 integrations that would each hold a reconcile
 * thread for a whole call timeout. The platform's new ClusterS3Store and a new integration on it
 * still reach Ready in about their usual time, because all tenant-store work together gets at most
 * half of the threads ({@code TenantBulkhead}).
 */
@EnableKubernetesMockClient(crud = true)
class SlowTenantStoresMockIT {
  static final int NAMESPACES = 10;
  static final int STORES_PER_NAMESPACE = 2;
  static final int INTEGRATIONS_PER_NAMESPACE = 2;

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

  private void namespace(String ns, Map<String, String> labels) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
  }

  private boolean clusterStoreReady(String name) {
    ClusterS3Store s = client.resources(ClusterS3Store.class).withName(name).get();
    return s != null
        && s.getStatus() != null
        && s.getStatus().getConditions() != null
        && s.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Test
  void slowTenantStoresInManyNamespacesLeavePlatformWorkItsThreads() throws Exception {
    String run = MinioServer.randomSuffix();
    for (int n = 0; n < NAMESPACES; n++) {
      String tenant = "slow-" + n + "-" + run;
      namespace(tenant, Map.of("tenant", "slow"));
      client
          .resource(
              adminSecret(
                  tenant,
                  "admin",
                  "admin" + MinioServer.randomAlnum(6),
                  "S" + MinioServer.randomAlnum(30)))
          .create();
      for (int s = 0; s < STORES_PER_NAMESPACE; s++) {
        client.resource(store(tenant, "own-" + s, "127.0.0.1", slow.port(), "admin")).create();
      }
      for (int i = 0; i < INTEGRATIONS_PER_NAMESPACE; i++) {
        client.resource(policy(tenant, "read-" + i, "media-" + i)).create();
        var viz = managed(tenant, "viz-" + i, "own-0", "read-" + i);
        viz.getSpec().setBucket("media-" + i);
        client.resource(viz).create();
      }
    }
    // let the slow stores and integrations take what they can
    Thread.sleep(3000);
    assertThat(slow.requests()).as("the slow server is being asked").isPositive();

    String platform = "platform-" + run;
    namespace(platform, Map.of("team", platform));
    String bucket = "fair-" + run;
    object(minio.rootS3(), bucket, "a.txt", "a");
    String storeName = "platform-" + run;
    long t0 = System.nanoTime();
    Fixtures.createClusterStore(
        client,
        Fixtures.OPERATOR_NAMESPACE,
        storeName,
        minio,
        allow(Map.of("team", platform), bucket),
        s -> {});
    client.resource(policy(platform, "read", bucket)).create();
    client
        .resource(
            managed(platform, "viz", new StoreRef(StoreKind.ClusterS3Store, storeName), "read"))
        .create();
    long[] storeReadyAt = {0};
    long[] integrationReadyAt = {0};
    // long enough to measure the operator without the bulkhead too
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              long now = System.nanoTime();
              if (storeReadyAt[0] == 0 && clusterStoreReady(storeName)) {
                storeReadyAt[0] = now;
              }
              if (integrationReadyAt[0] == 0
                  && op.condition(platform, "viz", "Ready")
                      .filter(c -> "True".equals(c.getStatus()))
                      .isPresent()) {
                integrationReadyAt[0] = now;
              }
              return storeReadyAt[0] != 0 && integrationReadyAt[0] != 0;
            });
    Duration store = Duration.ofNanos(storeReadyAt[0] - t0);
    Duration integration = Duration.ofNanos(integrationReadyAt[0] - t0);
    System.out.printf(
        "beside %d S3Stores and %d integrations on a dripping server in %d namespaces (%d requests"
            + " to it so far), a new ClusterS3Store was Ready in %d ms and a new integration on it"
            + " in %d ms%n",
        NAMESPACES * STORES_PER_NAMESPACE,
        NAMESPACES * INTEGRATIONS_PER_NAMESPACE,
        NAMESPACES,
        slow.requests(),
        store.toMillis(),
        integration.toMillis());
    assertThat(store).isLessThan(Duration.ofSeconds(10));
    assertThat(integration).isLessThan(Duration.ofSeconds(10));
  }
}
