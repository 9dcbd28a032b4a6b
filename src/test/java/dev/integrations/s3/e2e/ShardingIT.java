package dev.integrations.s3.e2e;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.allow;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.OperatorFactory;
import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.informers.OperatorClient;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two shards of one platform, as two Helm releases in one namespace would run them: disjoint
 * WATCH_NAMESPACES, a Lease each, and one of them (only) reconciling ClusterS3Stores. Each serves
 * its own namespaces; the ClusterS3Store counts and is kept by the integrations of both, so the
 * shard that owns it never lets it go while the other shard's integrations use it.
 */
class ShardingIT {

  @Test
  void twoShardsServeTheirNamespacesAndOneKeepsTheSharedClusterStore() throws Exception {
    KubeApiServer kube = KubeApiServer.shared();
    MinioServer minio = MinioServer.shared();
    KubernetesClient admin = kube.client();
    String suffix = MinioServer.randomSuffix();
    String store = "sharded-" + suffix;
    String bucket = "shard-" + suffix;
    object(minio.rootS3(), bucket, "a.txt", "a");
    kube.createNamespaceNamed(Fixtures.OPERATOR_NAMESPACE); // where both shards keep their Leases
    Fixtures.createClusterStore(
        admin,
        Fixtures.OPERATOR_NAMESPACE,
        store,
        minio,
        allow(Map.of("shard-it", suffix), "shard-*"),
        s -> {});
    String nsA = tenant(kube, admin, "shard-a", suffix);
    String nsA2 = tenant(kube, admin, "shard-a2", suffix);
    String nsB = tenant(kube, admin, "shard-b", suffix);

    // Shard A serves two namespaces: one informer per namespace and kind, each with a cache of its
    // own (a cache shared by them lost one namespace's objects whenever another's was listed).
    try (Shard a = new Shard(kube, "a", nsA + "," + nsA2, true, "shard-a-" + suffix);
        Shard b = new Shard(kube, "b", nsB, false, "shard-b-" + suffix)) {
      for (String ns : new String[] {nsA, nsB}) {
        admin.resource(policy(ns, "read", bucket)).create();
        admin
            .resource(managed(ns, "viz", new StoreRef(StoreKind.ClusterS3Store, store), "read"))
            .create();
      }
      // nsA2's integration uses an S3Store of its namespace, counted by shard A's informer of
      // that namespace.
      admin
          .resource(adminSecret(nsA2, "minio-admin", minio.accessKey(), minio.secretKey()))
          .create();
      admin
          .resource(Fixtures.store(nsA2, "minio", minio.host(), minio.port(), "minio-admin"))
          .create();
      admin.resource(policy(nsA2, "read", bucket)).create();
      admin.resource(managed(nsA2, "viz", "minio", "read")).create();
      // Each shard serves its namespaces (A: nsA and nsA2, B: nsB), both at once: each holds its
      // own Lease in the operator namespace.
      a.harness.awaitReady(nsA, "viz", "True", "Ready");
      a.harness.awaitReady(nsA2, "viz", "True", "Ready");
      b.harness.awaitReady(nsB, "viz", "True", "Ready");
      assertThat(a.harness.cachedIntegrations())
          .as("integrations in shard A's cache (two namespaces, one each)")
          .isEqualTo(2);
      assertThat(holder(admin, "shard-a-" + suffix)).isEqualTo("a");
      assertThat(holder(admin, "shard-b-" + suffix)).isEqualTo("b");
      assertThat(minio.rootAdmin().listUsers())
          .containsKeys(nsA + ".viz", nsA2 + ".viz", nsB + ".viz");
      assertThat(a.harness.minioAdmin.count("createUser", nsB + ".viz")).isZero();
      assertThat(b.harness.minioAdmin.count("createUser", nsA + ".viz")).isZero();

      // Only shard A reconciles the ClusterS3Store, and it counts shard B's integration too.
      await().atMost(Duration.ofSeconds(30)).until(() -> integrations(admin, store) == 2);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                S3Store s =
                    admin.resources(S3Store.class).inNamespace(nsA2).withName("minio").get();
                return s.getStatus() != null
                    && Integer.valueOf(1).equals(s.getStatus().getIntegrations());
              });
      assertThat(a.harness.minioAdmin.count("user", minio.accessKey()))
          .as("shard A checks the ClusterS3Store's admin keys")
          .isPositive();
      assertThat(b.harness.minioAdmin.count("user", minio.accessKey()))
          .as("shard B never does")
          .isZero();

      // The store is kept while shard B's integration uses it, though shard A has none left.
      admin.resources(S3Integration.class).inNamespace(nsA).withName("viz").delete();
      admin.resources(S3Integration.class).inNamespace(nsA2).withName("viz").delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> integrations(admin, store) == 1);
      assertThat(Fixtures.deleteAndSeeItKeptInUse(admin, store))
          .anySatisfy(m -> assertThat(m).contains("1 S3Integration(s)").contains(nsB + "/viz"));
      b.harness.awaitReady(nsB, "viz", "True", "Ready");

      // Gone from shard B: the store goes too.
      admin.resources(S3Integration.class).inNamespace(nsB).withName("viz").delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> admin.resources(ClusterS3Store.class).withName(store).get() == null);
      assertThat(minio.rootAdmin().listUsers())
          .doesNotContainKeys(nsA + ".viz", nsA2 + ".viz", nsB + ".viz");
    }
  }

  private static String tenant(KubeApiServer kube, KubernetesClient admin, String p, String s) {
    String ns = kube.createNamespace(p);
    admin
        .namespaces()
        .withName(ns)
        .edit(
            n -> {
              n.getMetadata().setLabels(Map.of("shard-it", s));
              return n;
            });
    return ns;
  }

  private static int integrations(KubernetesClient admin, String store) {
    ClusterS3Store c = admin.resources(ClusterS3Store.class).withName(store).get();
    return c == null || c.getStatus() == null || c.getStatus().getIntegrations() == null
        ? -1
        : c.getStatus().getIntegrations();
  }

  private static String holder(KubernetesClient client, String lease) {
    Lease l =
        client
            .resources(Lease.class)
            .inNamespace(Fixtures.OPERATOR_NAMESPACE)
            .withName(lease)
            .get();
    return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
  }

  /** One release: its own client, namespace, Lease and role for ClusterS3Stores. */
  private static final class Shard implements AutoCloseable {
    final KubernetesClient client;
    final OperatorHarness harness;

    Shard(KubeApiServer kube, String name, String namespaces, boolean clusterStores, String lease) {
      // the operator's own client, as Main builds it
      client = OperatorClient.create(Config.fromKubeconfig(kube.kubeConfigYaml()));
      Map<String, String> env = new HashMap<>();
      env.put(OperatorConfig.WATCH_NAMESPACES, namespaces);
      env.put(OperatorConfig.OPERATOR_NAMESPACE, Fixtures.OPERATOR_NAMESPACE);
      env.put(OperatorConfig.LEADER_ELECTION, "true");
      env.put(OperatorConfig.LEADER_ELECTION_NAMESPACE, Fixtures.OPERATOR_NAMESPACE);
      env.put(OperatorConfig.LEADER_ELECTION_LEASE_NAME, lease);
      env.put(OperatorConfig.LEADER_ELECTION_IDENTITY, name);
      env.put(OperatorConfig.LEADER_ELECTION_LEASE_DURATION, "6s");
      env.put(OperatorConfig.CLUSTER_STORE_CONTROLLER, String.valueOf(clusterStores));
      env.put(OperatorConfig.HTTP_PORT, "0");
      harness = new OperatorHarness(client, true, OperatorConfig.fromEnv(env));
    }

    @Override
    public void close() {
      // As Main's shutdown hook does: giving up the lease now is expected, not a reason to exit.
      OperatorFactory.SHUTTING_DOWN.set(true);
      try {
        harness.close();
      } finally {
        OperatorFactory.SHUTTING_DOWN.set(false);
        client.close();
      }
    }
  }
}
