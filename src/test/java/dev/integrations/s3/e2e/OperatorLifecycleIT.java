package dev.integrations.s3.e2e;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.minio.admin.MinioAdminClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator with its production settings (server-side apply on) on a real kube-apiserver,
 * managing a real MinIO: status subresource, finalizer, owner reference, cleanup on deletion and a
 * quiet steady state, as a user would observe them with kubectl and mc.
 */
class OperatorLifecycleIT {
  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;
  static MinioAdminClient rootAdmin;

  @BeforeAll
  static void start() {
    minio = MinioServer.shared();
    rootAdmin = minio.rootAdmin();
    client = KubeApiServer.shared().client();
    op = new OperatorHarness(client, true);
  }

  @AfterAll
  static void stop() {
    if (op != null) {
      op.close();
    }
  }

  /** A fresh namespace with the admin Secret, a bucket with one object and a policy for it. */
  private String setUp(String bucket) throws Exception {
    String ns = KubeApiServer.shared().createNamespace("e2e");
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    object(minio.rootS3(), bucket, "cats/001.jpg", "meow");
    client.resource(policy(ns, "read", bucket)).create();
    return ns;
  }

  private void deleteAndAwaitGone(String ns, String name) {
    client.resources(S3Integration.class).inNamespace(ns).withName(name).delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertThat(op.integration(ns, name))
                    .as(
                        "S3Integration %s/%s still exists after delete: the finalizer was not"
                            + " removed (kubectl delete would hang)",
                        ns, name)
                    .isNull());
  }

  /**
   * Issue 21, item 16, with server-side apply: an annotation under the operator's prefix that a
   * tenant added (another field manager owns it, so no apply of ours removes it) is taken off the
   * output Secret; the operator's own annotation and a tenant's annotation of another prefix stay.
   */
  @Test
  void forgedOperatorAnnotationsAreRemovedFromTheSecretUnderServerSideApply() throws Exception {
    String bucket = "e2e-" + MinioServer.randomSuffix();
    String ns = setUp(bucket);
    client.resource(managed(ns, "viz", "minio", "read")).create();
    op.awaitReady(ns, "viz", "True", "Ready");
    String hash =
        op.secret(ns, "viz-s3")
            .getMetadata()
            .getAnnotations()
            .get("s3.integrations.dev/config-hash");
    String key = op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY");

    client
        .secrets()
        .inNamespace(ns)
        .withName("viz-s3")
        .edit(
            sec -> {
              Map<String, String> a = new java.util.HashMap<>(sec.getMetadata().getAnnotations());
              a.put("s3.integrations.dev/user", "other-tenant.app");
              a.put("s3.integrations.dev/policy", "s3i-other-tenant.app");
              a.put("example.com/owner", "team-a");
              sec.getMetadata().setAnnotations(a);
              return sec;
            });

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Map<String, String> a = op.secret(ns, "viz-s3").getMetadata().getAnnotations();
              return !a.containsKey("s3.integrations.dev/user")
                  && !a.containsKey("s3.integrations.dev/policy");
            });
    assertThat(op.secret(ns, "viz-s3").getMetadata().getAnnotations())
        .containsEntry("s3.integrations.dev/config-hash", hash)
        .containsEntry("example.com/owner", "team-a");
    assertThat(op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY")).isEqualTo(key);
    op.awaitReady(ns, "viz", "True", "Ready");
    deleteAndAwaitGone(ns, "viz");
  }

  @Test
  void managedIntegrationBecomesReadyThroughTheStatusSubresource() throws Exception {
    String bucket = "e2e-" + MinioServer.randomSuffix();
    String ns = setUp(bucket);

    // Watch every version of the integration while the operator works on it.
    Set<Long> generations = new ConcurrentSkipListSet<>();
    Set<String> versions = new ConcurrentSkipListSet<>();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    S3Integration created = client.resource(managed(ns, "viz", "minio", "read")).create();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
    sampler.scheduleAtFixedRate(
        () -> {
          S3Integration i = op.integration(ns, "viz");
          if (i != null) {
            generations.add(i.getMetadata().getGeneration());
            versions.add(i.getMetadata().getResourceVersion());
          }
        },
        0,
        50,
        TimeUnit.MILLISECONDS);
    S3Integration ready;
    try {
      ready = op.awaitReady(ns, "viz", "True", "Ready");
    } finally {
      sampler.shutdownNow();
      sampler.awaitTermination(5, TimeUnit.SECONDS);
    }

    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(versions)
        .as("resourceVersions seen while the operator worked (finalizer and status writes)")
        .hasSizeGreaterThan(1);
    assertThat(generations)
        .as(
            "metadata.generation while the status was written: a status write through the main"
                + " resource would change the spec's generation")
        .containsOnly(1L);
    assertThat(ready.getMetadata().getGeneration()).isEqualTo(1L);
    // The server records who wrote which fields, and through which subresource.
    List<ManagedFieldsEntry> statusWriters =
        ready.getMetadata().getManagedFields().stream()
            .filter(m -> "status".equals(m.getSubresource()))
            .toList();
    assertThat(statusWriters)
        .as("managedFields entries written through /status: %s", managedFields(ready))
        .isNotEmpty()
        .allSatisfy(
            m -> {
              // JOSDK's SSA status patch also carries the finalizer, so the status manager
              // co-owns metadata.finalizers; the /status subresource ignores the value itself.
              assertThat(m.getFieldsV1().getAdditionalProperties())
                  .containsKey("f:status")
                  .containsOnlyKeys("f:status", "f:metadata");
              Object meta = m.getFieldsV1().getAdditionalProperties().get("f:metadata");
              if (meta != null) {
                assertThat(new ArrayList<Object>(((Map<?, ?>) meta).keySet()))
                    .containsExactly("f:finalizers");
              }
            });
    assertThat(ready.getMetadata().getManagedFields())
        .as("no writer outside /status owns status fields: %s", managedFields(ready))
        .filteredOn(m -> m.getSubresource() == null || m.getSubresource().isEmpty())
        .allSatisfy(
            m ->
                assertThat(m.getFieldsV1().getAdditionalProperties())
                    .doesNotContainKey("f:status"));
    assertThat(ready.getMetadata().getFinalizers())
        .as("finalizers of the Ready integration")
        .containsExactly("s3.integrations.dev/cleanup");

    String user = ns + ".viz";
    assertThat(ready.getStatus().getUserName()).isEqualTo(user);
    assertThat(rootAdmin.listUsers()).as("MinIO users").containsKey(user);
    assertThat(rootAdmin.listCannedPolicies()).as("MinIO policies").containsKey("s3i-" + user);

    // kube-apiserver alone has no garbage collector (that is kube-controller-manager), so deleting
    // the owner would not delete the Secret here: what the server can prove is the owner reference
    // the garbage collector of a real cluster acts on.
    Secret secret = op.secret(ns, "viz-s3");
    assertThat(secret).as("the resolved-config Secret viz-s3").isNotNull();
    assertThat(secret.getMetadata().getOwnerReferences())
        .as("ownerReferences of the Secret")
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getApiVersion()).isEqualTo("s3.integrations.dev/v1alpha1");
              assertThat(r.getKind()).isEqualTo("S3Integration");
              assertThat(r.getName()).isEqualTo("viz");
              assertThat(r.getUid()).isEqualTo(ready.getMetadata().getUid());
              assertThat(r.getController()).isTrue();
            });
    assertThat(op.secretValue(ns, "viz-s3", "AWS_ACCESS_KEY_ID")).isEqualTo(user);

    // Deletion: the finalizer removes the user and the policy from MinIO, then lets go.
    deleteAndAwaitGone(ns, "viz");
    assertThat(op.minioAdmin.count("deleteUser", user)).as("deleteUser(%s) calls", user).isOne();
    assertThat(rootAdmin.listUsers()).as("MinIO users after deletion").doesNotContainKey(user);
    assertThat(rootAdmin.listCannedPolicies())
        .as("MinIO policies after deletion")
        .doesNotContainKey("s3i-" + user);
  }

  @Test
  void steadyStateWritesNothingToMinioOrKubernetes() throws Exception {
    String bucket = "quiet-" + MinioServer.randomSuffix();
    String ns = setUp(bucket);
    client.resource(managed(ns, "quiet", "minio", "read")).create();
    op.awaitReady(ns, "quiet", "True", "Ready");
    // Let the reconciles caused by the operator's own writes settle.
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);

    String integrationVersion = op.integration(ns, "quiet").getMetadata().getResourceVersion();
    String secretVersion = op.secret(ns, "quiet-s3").getMetadata().getResourceVersion();
    String user = ns + ".quiet";
    op.minioAdmin.reset();

    for (int i = 0; i < 3; i++) {
      op.touch(ns, "minio-admin", "t" + i);
      int round = i + 1;
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> op.minioAdmin.count("user", user) >= round);
    }
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);

    assertThat(op.minioAdmin.count("user", user))
        .as("reconciles that looked at the MinIO user (one per touch of the admin Secret)")
        .isGreaterThanOrEqualTo(3);
    assertThat(op.minioAdmin.writes())
        .as("MinIO writes in steady state: %s", op.minioAdmin.snapshot())
        .isZero();
    assertThat(op.integration(ns, "quiet").getMetadata().getResourceVersion())
        .as(
            "resourceVersion of the Ready integration after 3 reconciles (a change means a"
                + " status or metadata write, i.e. a watch event for every client)")
        .isEqualTo(integrationVersion);
    assertThat(op.secret(ns, "quiet-s3").getMetadata().getResourceVersion())
        .as("resourceVersion of the Secret after 3 reconciles (a change restarts consumers)")
        .isEqualTo(secretVersion);

    deleteAndAwaitGone(ns, "quiet");
  }

  private static List<String> managedFields(S3Integration i) {
    List<String> out = new ArrayList<>();
    for (ManagedFieldsEntry m : i.getMetadata().getManagedFields()) {
      out.add(
          m.getManager()
              + "/"
              + m.getOperation()
              + (m.getSubresource() == null ? "" : "/" + m.getSubresource())
              + " "
              + m.getFieldsV1().getAdditionalProperties().keySet());
    }
    return out;
  }
}
