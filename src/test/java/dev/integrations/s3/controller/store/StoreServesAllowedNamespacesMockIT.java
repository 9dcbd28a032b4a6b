package dev.integrations.s3.controller.store;

import static dev.integrations.s3.testing.Fixtures.allow;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, item 12: a ClusterS3Store counts and is kept only by the integrations it serves. A
 * tenant in a namespace no rule allows can name it, but neither raises {@code status.integrations}
 * nor blocks the platform's deletion; and a store being deleted takes no new managed integration,
 * while one it already serves keeps working.
 */
@EnableKubernetesMockClient(crud = true)
class StoreServesAllowedNamespacesMockIT {
  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;

  @BeforeAll
  static void start() {
    minio = MinioServer.shared();
    op = new OperatorHarness(client, false);
  }

  @AfterAll
  static void stop() {
    op.close();
  }

  private String namespace(String prefix, Map<String, String> labels) {
    String ns = prefix + "-" + MinioServer.randomSuffix();
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
    return ns;
  }

  private ClusterS3Store store(String name) {
    return client.resources(ClusterS3Store.class).withName(name).get();
  }

  private Integer count(String name) {
    ClusterS3Store s = store(name);
    return s == null || s.getStatus() == null ? null : s.getStatus().getIntegrations();
  }

  @Test
  void anIntegrationFromANamespaceNoRuleAllowsNeitherCountsNorKeepsTheStore() throws Exception {
    String team = "t" + MinioServer.randomSuffix();
    String allowed = namespace("allowed", Map.of("team", team));
    String intruder = namespace("intruder", Map.of("team", "someone-else"));
    String bucket = "served-" + MinioServer.randomSuffix();
    object(minio.rootS3(), bucket, "a.txt", "a");
    String store = "shared-" + MinioServer.randomSuffix();
    Fixtures.createClusterStore(
        client,
        Fixtures.OPERATOR_NAMESPACE,
        store,
        minio,
        allow(Map.of("team", team), bucket),
        s -> {});
    StoreRef ref = new StoreRef(StoreKind.ClusterS3Store, store);

    client.resource(policy(intruder, "read", bucket)).create();
    client.resource(managed(intruder, "squatter", ref, "read")).create();
    op.awaitReady(intruder, "squatter", "False", "StoreNotAllowed");
    await().atMost(Duration.ofSeconds(20)).until(() -> Integer.valueOf(0).equals(count(store)));

    client.resource(policy(allowed, "read", bucket)).create();
    client.resource(managed(allowed, "viz", ref, "read")).create();
    op.awaitReady(allowed, "viz", "True", "Ready");
    await().atMost(Duration.ofSeconds(20)).until(() -> Integer.valueOf(1).equals(count(store)));
    // the count-only write is spaced by 5 s: it would have caught up with a second user by now
    await()
        .during(Duration.ofSeconds(7))
        .atMost(Duration.ofSeconds(10))
        .until(() -> Integer.valueOf(1).equals(count(store)));

    client.resources(S3Integration.class).inNamespace(allowed).withName("viz").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> op.integration(allowed, "viz") == null);
    client.resources(ClusterS3Store.class).withName(store).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> store(store) == null);
    assertThat(op.integration(intruder, "squatter"))
        .as("the squatter is still there, and kept nothing")
        .isNotNull();
  }

  @Test
  void aStoreBeingDeletedTakesNoNewIntegrationAndKeepsServingItsOwn() throws Exception {
    String team = "t" + MinioServer.randomSuffix();
    String ns = namespace("tenant", Map.of("team", team));
    String bucket = "going-" + MinioServer.randomSuffix();
    object(minio.rootS3(), bucket, "a.txt", "a");
    String store = "going-" + MinioServer.randomSuffix();
    Fixtures.createClusterStore(
        client,
        Fixtures.OPERATOR_NAMESPACE,
        store,
        minio,
        allow(Map.of("team", team), bucket + "*"),
        s -> {});
    StoreRef ref = new StoreRef(StoreKind.ClusterS3Store, store);
    client.resource(policy(ns, "read", bucket)).create();
    // each scoped to a bucket of its own: one integration per scope and namespace
    S3Integration viz = managed(ns, "viz", ref, "read");
    viz.getSpec().setBucket(bucket);
    client.resource(viz).create();
    op.awaitReady(ns, "viz", "True", "Ready");
    await().atMost(Duration.ofSeconds(20)).until(() -> Integer.valueOf(1).equals(count(store)));

    Fixtures.deleteAndSeeItKeptInUse(client, store);
    client.resource(policy(ns, "read-late", bucket + "-late")).create();
    S3Integration late = managed(ns, "late", ref, "read-late");
    late.getSpec().setBucket(bucket + "-late");
    client.resource(late).create();

    op.awaitReady(ns, "late", "False", "StoreDeleting");
    Condition ready = op.condition(ns, "late", "Ready").orElseThrow();
    assertThat(ready.getMessage())
        .isEqualTo(
            "ClusterS3Store/"
                + store
                + " is being deleted and takes no new integrations; nothing was created. Point"
                + " spec.storeRef at another store");
    assertThat(minio.rootAdmin().listUsers()).doesNotContainKey(ns + ".late");
    assertThat(op.minioAdmin.count("user", ns + ".late")).as("not even read").isZero();
    assertThat(op.secret(ns, "late-s3")).isNull();
    op.awaitReady(ns, "viz", "True", "Ready"); // the established one keeps working
    assertThat(minio.rootAdmin().listUsers()).containsKey(ns + ".viz");

    client.resources(S3Integration.class).inNamespace(ns).withName("late").delete();
    client.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
    // with its last integrations deleted, the store goes. Not asserted: that viz's user is gone
    // first. An integration being deleted no longer counts (StoreCount.countsFor), so the store can
    // go before viz's clean-up has run; a known gap, left to the rework of deletion
    await().atMost(Duration.ofSeconds(30)).until(() -> store(store) == null);
  }
}
