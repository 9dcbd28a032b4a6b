package dev.integrations.s3.controller.store;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.minio.admin.MinioAdminClient;
import io.minio.admin.UserInfo;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Many integrations arriving on one store, on the real API server and MinIO: the store is counted
 * and kept by all of them, but its admin keys are checked once (not once per integration), its
 * status is written a few times (not once per integration), and its status writes never wake the
 * integrations that use it.
 */
class SharedStoreIT {
  static final int INTEGRATIONS = 20;

  @Test
  void integrationsArrivingOnOneStoreCostItOneCheckAndAFewStatusWrites() throws Exception {
    KubeApiServer kube = KubeApiServer.shared();
    MinioServer minio = MinioServer.shared();
    KubernetesClient client = kube.client();
    String ns = kube.createNamespace("shared");
    String bucket = "shared-" + MinioServer.randomSuffix();
    // An admin user of this test's own, so that the count of admin-key checks is this store's:
    // the shared API server may hold other tests' S3Stores on the root key, which the operator
    // checks when their turn in the tenant bulkhead comes, maybe while these integrations arrive.
    String adminUser = "shared-admin-" + MinioServer.randomSuffix();
    String adminSecret = "S" + MinioServer.randomAlnum(30);
    MinioAdminClient rootAdmin = minio.rootAdmin();
    rootAdmin.addUser(adminUser, UserInfo.Status.ENABLED, adminSecret, null, null);
    rootAdmin.setPolicy(adminUser, false, "consoleAdmin");
    client.resource(adminSecret(ns, "minio-admin", adminUser, adminSecret)).create();
    // one bucket and policy per integration: one scope each (two on all buckets would conflict)
    for (int i = 0; i < INTEGRATIONS; i++) {
      object(minio.rootS3(), bucket + "-" + i, "a.txt", "a");
      client.resource(policy(ns, "read-" + i, bucket + "-" + i)).create();
    }

    try (OperatorHarness op = new OperatorHarness(client, true)) {
      client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> integrations(client, ns) != null && integrations(client, ns) == 0);
      AtomicInteger storeWrites = new AtomicInteger();
      try (Watch w =
          client
              .resources(S3Store.class)
              .inNamespace(ns)
              .withName("minio")
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, S3Store s) {
                      if (action == Action.MODIFIED) {
                        storeWrites.incrementAndGet();
                      }
                    }

                    @Override
                    public void onClose(WatcherException e) {}
                  })) {
        op.minioAdmin.reset();
        IntStream.range(0, INTEGRATIONS)
            .parallel()
            .forEach(
                i -> {
                  S3Integration in = managed(ns, "viz-" + i, "minio", "read-" + i);
                  in.getSpec().setBucket(bucket + "-" + i);
                  client.resource(in).create();
                });
        for (int i = 0; i < INTEGRATIONS; i++) {
          op.awaitReady(ns, "viz-" + i, "True", "Ready");
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> Integer.valueOf(INTEGRATIONS).equals(integrations(client, ns)));

        assertThat(op.minioAdmin.count("user", adminUser))
            .as("checks of the store's admin keys while %d integrations arrived", INTEGRATIONS)
            .isZero();
        assertThat(storeWrites.get())
            .as("status writes of the store while %d integrations arrived", INTEGRATIONS)
            .isBetween(1, 4);
        int userReads =
            IntStream.range(0, INTEGRATIONS)
                .map(i -> op.minioAdmin.count("user", ns + ".viz-" + i))
                .sum();
        assertThat(userReads)
            .as(
                "reads of the integrations' MinIO users on their way to Ready: %s",
                op.minioAdmin.snapshot())
            .isLessThanOrEqualTo(INTEGRATIONS * 5 / 4); // one reconcile each, give or take
      }
    }
  }

  private static Integer integrations(KubernetesClient client, String ns) {
    S3Store s = client.resources(S3Store.class).inNamespace(ns).withName("minio").get();
    return s == null || s.getStatus() == null ? null : s.getStatus().getIntegrations();
  }
}
