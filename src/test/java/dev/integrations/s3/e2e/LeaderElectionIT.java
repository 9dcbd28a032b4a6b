package dev.integrations.s3.e2e;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.OperatorFactory;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.storage.minio.MinioAdminClientAdapter;
import dev.integrations.s3.testing.CountingMinioAdmin;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two operator instances with leader election against one real kube-apiserver: only the holder of
 * the Lease reconciles, and when it stops the other takes over within the lease duration without
 * creating anything twice in MinIO.
 *
 * <p>The instances are built by {@link OperatorFactory#create}, the production wiring, with a 6s
 * lease instead of 15s ({@code LEADER_ELECTION_LEASE_DURATION}) to keep the test short, and an
 * identity each. Stopping an instance is what Main's shutdown hook does: it marks the shutdown,
 * then stops the operator (fabric8 runs onStopLeading on stop too; without the mark the production
 * callback would exit the JVM). Leadership is not released on stop (JOSDK sets
 * releaseOnCancel=false), so the follower waits for the lease to expire.
 */
class LeaderElectionIT {
  static final Duration LEASE = Duration.ofSeconds(6);
  static final Duration RETRY = LEASE.multipliedBy(2).dividedBy(15);

  /** One operator process: its own client, its own MinIO admin counter. */
  static final class Instance implements AutoCloseable {
    final String identity;
    final KubernetesClient client = KubeApiServer.shared().newClient();
    final CountingMinioAdmin minioAdmin = new CountingMinioAdmin(MinioAdminClientAdapter::connect);
    final Operator operator;
    boolean stopped;

    Instance(String identity, String leaseNamespace) {
      this.identity = identity;
      OperatorConfig config =
          OperatorConfig.fromEnv(
              Map.of(
                  OperatorConfig.LEADER_ELECTION,
                  "true",
                  OperatorConfig.LEADER_ELECTION_NAMESPACE,
                  leaseNamespace,
                  OperatorConfig.LEADER_ELECTION_LEASE_DURATION,
                  LEASE.toSeconds() + "s",
                  OperatorConfig.LEADER_ELECTION_IDENTITY,
                  identity));
      assertThat(config.leaderElection()).isTrue();
      // The production wiring; only the lease is shorter (6s instead of 15s) to keep the test
      // short.
      operator =
          OperatorFactory.create(
              client, config, new SimpleMeterRegistry(), Clock.systemUTC(), minioAdmin, true);
      operator.start();
    }

    /** The "kill": what a rolling update or a crashed pod does to the leader. */
    void stop() {
      if (!stopped) {
        stopped = true;
        // As Main's shutdown hook does: giving up the lease now is expected, not a reason to exit.
        OperatorFactory.SHUTTING_DOWN.set(true);
        try {
          operator.stop();
        } finally {
          OperatorFactory.SHUTTING_DOWN.set(false);
        }
        client.close();
      }
    }

    @Override
    public void close() {
      stop();
    }
  }

  private static String holder(KubernetesClient client, String ns) {
    Lease lease =
        client.resources(Lease.class).inNamespace(ns).withName(OperatorFactory.LEASE_NAME).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static void awaitReady(KubernetesClient client, String ns, String name, Duration max) {
    await()
        .atMost(max)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              S3Integration i =
                  client.resources(S3Integration.class).inNamespace(ns).withName(name).get();
              return i != null
                  && i.getStatus() != null
                  && i.getStatus().getConditions() != null
                  && i.getMetadata().getGeneration().equals(i.getStatus().getObservedGeneration())
                  && i.getStatus().getConditions().stream()
                      .anyMatch(
                          c ->
                              "Ready".equals(c.getType())
                                  && "True".equals(c.getStatus())
                                  && "Ready".equals(c.getReason()));
            });
  }

  @Test
  void onlyTheLeaderReconcilesAndTheFollowerTakesOverWhenItStops() throws Exception {
    KubeApiServer kube = KubeApiServer.shared();
    MinioServer minio = MinioServer.shared();
    KubernetesClient client = kube.client();
    // The lease's namespace must exist: JOSDK does not create it.
    String leaseNs = kube.createNamespace("lease");
    String ns = kube.createNamespace("le");
    String bucket = "le-" + MinioServer.randomSuffix();
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    object(minio.rootS3(), bucket, "cats/001.jpg", "meow");
    client.resource(policy(ns, "read", bucket)).create();

    try (Instance a = new Instance("instance-a", leaseNs);
        Instance b = new Instance("instance-b", leaseNs)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> holder(client, leaseNs) != null);
      Instance leader = "instance-a".equals(holder(client, leaseNs)) ? a : b;
      Instance follower = leader == a ? b : a;
      assertThat(holder(client, leaseNs))
          .as("Lease %s/%s holder", leaseNs, OperatorFactory.LEASE_NAME)
          .isEqualTo(leader.identity);

      client.resource(managed(ns, "first", "minio", "read")).create();
      awaitReady(client, ns, "first", Duration.ofSeconds(60));
      String first = ns + ".first";
      assertThat(leader.minioAdmin.count("createUser", first))
          .as("createUser(%s) by the leader %s", first, leader.identity)
          .isOne();
      // Give the follower time to misbehave, then check it never touched MinIO.
      await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
      assertThat(follower.minioAdmin.snapshot())
          .as("MinIO calls by the follower %s while %s leads", follower.identity, leader.identity)
          .isEmpty();
      assertThat(holder(client, leaseNs)).isEqualTo(leader.identity);

      // Kill the leader: the follower takes the lease once it expires.
      Instant stopped = Instant.now();
      leader.stop();
      int leaderCallsAtStop = leader.minioAdmin.snapshot().values().stream().mapToInt(i -> i).sum();
      await()
          .atMost(LEASE.plus(RETRY.multipliedBy(2)).plus(Duration.ofSeconds(5)))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> follower.identity.equals(holder(client, leaseNs)));
      Duration handover = Duration.between(stopped, Instant.now());
      System.err.printf(
          "leader election: %s took over %d ms after %s stopped (lease %ds)%n",
          follower.identity, handover.toMillis(), leader.identity, LEASE.toSeconds());

      // Scoped to the bucket: "first" already applies to all buckets of the namespace.
      S3Integration secondIntegration = managed(ns, "second", "minio", "read");
      secondIntegration.getSpec().setBucket(bucket);
      client.resource(secondIntegration).create();
      awaitReady(client, ns, "second", Duration.ofSeconds(60));
      String second = ns + ".second";
      assertThat(follower.minioAdmin.count("createUser", second))
          .as("createUser(%s) by the new leader %s", second, follower.identity)
          .isOne();
      // The new leader re-reconciles "first" on start and finds the user in place.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> follower.minioAdmin.count("user", first) >= 1);
      await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);

      assertThat(a.minioAdmin.count("createUser", first) + b.minioAdmin.count("createUser", first))
          .as("createUser(%s) across both instances", first)
          .isOne();
      assertThat(
              a.minioAdmin.count("createUser", second) + b.minioAdmin.count("createUser", second))
          .as("createUser(%s) across both instances", second)
          .isOne();
      assertThat(follower.minioAdmin.writes(first))
          .as("MinIO writes for %s by the new leader: %s", first, follower.minioAdmin.snapshot())
          .isZero();
      assertThat(leader.minioAdmin.snapshot().values().stream().mapToInt(i -> i).sum())
          .as("MinIO calls by the stopped instance after it stopped")
          .isEqualTo(leaderCallsAtStop);

      // Clean up while the new leader runs, so the finalizers are processed.
      for (String name : new String[] {"first", "second"}) {
        client.resources(S3Integration.class).inNamespace(ns).withName(name).delete();
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  client
                      .resources(S3Integration.class)
                      .inNamespace(ns)
                      .list()
                      .getItems()
                      .isEmpty());
    }
  }
}
