package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.controller.integration.dependent.SecretFights;
import dev.integrations.s3.ownership.OwnershipRecordSecret;
import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.minio.MinioClient;
import io.minio.admin.MinioAdminClient;
import io.minio.admin.UserInfo;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drift on the server or in Kubernetes is repaired on the next reconcile, with the same keys where
 * they still work; the pause annotation stops all writes; skip-cleanup releases a stuck deletion.
 */
@EnableKubernetesMockClient(crud = true)
class S3IntegrationDriftMockIT {
  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;
  static MinioAdminClient rootAdmin;
  static MinioClient root;
  static final AtomicInteger TOUCHES = new AtomicInteger();

  String ns;
  String bucket;
  String user;
  String policyName;
  String key;

  @BeforeAll
  static void start() {
    minio = MinioServer.shared();
    rootAdmin = minio.rootAdmin();
    root = minio.rootS3();
    op = new OperatorHarness(client, false);
  }

  @AfterAll
  static void stop() {
    op.close();
  }

  @BeforeEach
  void readyIntegration() throws Exception {
    ns = "ns-" + MinioServer.randomSuffix();
    bucket = "drift-" + MinioServer.randomSuffix();
    object(root, bucket, "a.txt", "alpha");
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(policy(ns, "read", bucket)).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();
    op.awaitReady(ns, "viz", "True", "Ready");
    user = ns + ".viz";
    policyName = "s3i-" + user;
    key = op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY");
  }

  /** Makes the operator reconcile the integration (as a resync or any watched change would). */
  private void reconcile() {
    op.touch(ns, "minio-admin", "t" + TOUCHES.incrementAndGet());
  }

  private boolean keyWorks(String k) {
    try {
      return S3IntegrationManagedMockIT.read(minio.s3(user, k), bucket, "a.txt").equals("alpha");
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void userDeletedOnTheServerIsRecreatedWithTheSameKeys() throws Exception {
    rootAdmin.deleteUser(user);
    assertThat(keyWorks(key)).isFalse();
    reconcile();
    await().atMost(Duration.ofSeconds(20)).until(() -> keyWorks(key));
    assertThat(op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY")).isEqualTo(key);
    assertThat(rootAdmin.getUserInfo(user).policyName()).isEqualTo(policyName);
  }

  @Test
  void userDisabledOnTheServerIsEnabledAgain() throws Exception {
    rootAdmin.addUser(user, UserInfo.Status.DISABLED, key, null, null);
    assertThat(keyWorks(key)).isFalse();
    reconcile();
    await().atMost(Duration.ofSeconds(20)).until(() -> keyWorks(key));
    assertThat(rootAdmin.getUserInfo(user).status()).isEqualTo(UserInfo.Status.ENABLED);
  }

  @Test
  void userKeyChangedOnTheServerIsResetToTheKeyInTheSecret() throws Exception {
    rootAdmin.addUser(
        user,
        UserInfo.Status.ENABLED,
        "changed-by-hand-" + MinioServer.randomAlnum(12),
        null,
        null);
    assertThat(keyWorks(key)).isFalse();
    reconcile();
    await().atMost(Duration.ofSeconds(20)).until(() -> keyWorks(key));
  }

  @Test
  void policyEditedByHandIsRestored() throws Exception {
    String edited =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:*\"],\"Resource\":[\"arn:aws:s3:::*\"]}]}";
    rootAdmin.addCannedPolicy(policyName, edited);
    reconcile();
    String expected =
        PolicyDocument.render(new ReadGrant(List.of(new BucketGrant(bucket, null)), null));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                PolicyDocument.equivalent(
                    rootAdmin.listCannedPolicies().get(policyName), expected));
  }

  @Test
  void policyDetachedByHandIsAttachedAgain() throws Exception {
    rootAdmin.setPolicy(user, false, "readonly");
    reconcile();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> policyName.equals(rootAdmin.getUserInfo(user).policyName()));
    assertThat(keyWorks(key)).isTrue();
  }

  @Test
  void secretDeletedIsRecreatedWithTheRecordedKeys() {
    int writes = op.minioAdmin.writes(user);
    client.secrets().inNamespace(ns).withName("viz-s3").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> op.secret(ns, "viz-s3") != null);
    assertThat(op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY")).isEqualTo(key);
    op.awaitReady(ns, "viz", "True", "Ready");
    assertThat(keyWorks(key)).isTrue();
    assertThat(op.minioAdmin.writes(user)).as("MinIO writes").isEqualTo(writes);
  }

  /**
   * The output Secret is a copy: a key written into it (by a tenant, or from an old backup) is
   * replaced by the recorded one and never reaches the storage.
   */
  @Test
  void aKeyEditedIntoTheSecretIsRestoredFromTheRecordAndNeverPushedToTheStorage() {
    String chosen = "chosen-by-the-tenant-" + MinioServer.randomAlnum(16);
    int writes = op.minioAdmin.writes(user);
    client
        .secrets()
        .inNamespace(ns)
        .withName("viz-s3")
        .edit(
            s -> {
              Map<String, String> data = new HashMap<>(s.getData());
              data.put(
                  "AWS_SECRET_ACCESS_KEY",
                  java.util.Base64.getEncoder().encodeToString(chosen.getBytes()));
              s.setData(data);
              return s;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> key.equals(op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY")));
    assertThat(keyWorks(key)).isTrue();
    assertThat(keyWorks(chosen)).isFalse();
    assertThat(op.minioAdmin.writes(user)).as("MinIO writes").isEqualTo(writes);
  }

  /**
   * Issue 21, item 16: annotations under the operator's prefix that it did not write (here naming
   * another tenant's user and policy) are drift on their own: removed, while the operator's own
   * annotations and everyone else's stay.
   */
  @Test
  void forgedOperatorAnnotationsAloneAreRemovedFromTheSecret() {
    Map<String, String> before = op.secret(ns, "viz-s3").getMetadata().getAnnotations();
    String hash = before.get("s3.integrations.dev/config-hash");
    assertThat(hash).isNotBlank();
    String resourceVersion = op.secret(ns, "viz-s3").getMetadata().getResourceVersion();
    client
        .secrets()
        .inNamespace(ns)
        .withName("viz-s3")
        .edit(
            s -> {
              Map<String, String> a = new HashMap<>(s.getMetadata().getAnnotations());
              a.put("s3.integrations.dev/user", "other-tenant.app");
              a.put("s3.integrations.dev/policy", "s3i-other-tenant.app");
              a.put("s3.integrations.dev/superseded-by", "other-secret");
              a.put("example.com/owner", "team-a");
              s.getMetadata().setAnnotations(a);
              return s;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                op.secret(ns, "viz-s3").getMetadata().getAnnotations().keySet().stream()
                    .noneMatch(
                        k ->
                            k.equals("s3.integrations.dev/user")
                                || k.equals("s3.integrations.dev/policy")
                                || k.equals("s3.integrations.dev/superseded-by")));
    Secret restored = op.secret(ns, "viz-s3");
    assertThat(restored.getMetadata().getResourceVersion()).isNotEqualTo(resourceVersion);
    assertThat(restored.getMetadata().getAnnotations())
        .containsEntry("s3.integrations.dev/config-hash", hash)
        .containsEntry("example.com/owner", "team-a")
        .doesNotContainKeys(
            "s3.integrations.dev/user",
            "s3.integrations.dev/policy",
            "s3.integrations.dev/superseded-by");
    assertThat(restored.getMetadata().getLabels())
        .containsEntry("s3.integrations.dev/integration", "viz");
    assertThat(op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY")).isEqualTo(key);
    op.awaitReady(ns, "viz", "True", "Ready");
    assertThat(
            client.v1().events().inNamespace(ns).list().getItems().stream()
                .map(e -> e.getMessage())
                .filter(m -> m != null && m.contains("did not write")))
        .as("the restore's Event names the removed keys, not their values")
        .anySatisfy(m -> assertThat(m).contains("s3.integrations.dev/user"))
        .noneSatisfy(m -> assertThat(m).contains("other-tenant.app"));
  }

  @Test
  void secretEditedIsRestoredWithTheSameKeys() {
    client
        .secrets()
        .inNamespace(ns)
        .withName("viz-s3")
        .edit(
            s -> {
              Map<String, String> data = new HashMap<>(s.getData());
              data.put(
                  "AWS_ENDPOINT_URL",
                  java.util.Base64.getEncoder().encodeToString("https://evil.example".getBytes()));
              data.remove("AWS_REGION");
              s.setData(data);
              return s;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                minio.endpoint().equals(op.secretValue(ns, "viz-s3", "AWS_ENDPOINT_URL"))
                    && "us-east-1".equals(op.secretValue(ns, "viz-s3", "AWS_REGION")));
    assertThat(op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY")).isEqualTo(key);
    assertThat(keyWorks(key)).isTrue();
  }

  @Test
  void pausedIntegrationWritesNothingUntilResumed() throws Exception {
    S3Integration i = op.integration(ns, "viz");
    i.getMetadata().setAnnotations(Map.of("s3.integrations.dev/paused", "true"));
    client.resource(i).update();
    op.awaitReady(ns, "viz", "Unknown", "Paused");

    rootAdmin.deleteUser(user);
    int writes = op.minioAdmin.writes(user);
    reconcile();
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> true);
    assertThat(op.minioAdmin.writes(user)).isEqualTo(writes);
    assertThat(keyWorks(key)).isFalse();

    S3Integration resumed = op.integration(ns, "viz");
    resumed.getMetadata().setAnnotations(Map.of());
    client.resource(resumed).update();
    reconcile();
    await().atMost(Duration.ofSeconds(20)).until(() -> keyWorks(key));
    op.awaitReady(ns, "viz", "True", "Ready");
  }

  @Test
  void deletionBlockedByUnreachableStorageIsReleasedBySkipCleanup() throws Exception {
    S3Store store = client.resources(S3Store.class).inNamespace(ns).withName("minio").get();
    store.getSpec().setPort(MinioServer.freePort());
    client.resource(store).update();
    op.awaitReady(ns, "viz", "False", "EndpointUnreachable");

    client.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(8))
        .until(() -> op.integration(ns, "viz") != null);

    S3Integration stuck = op.integration(ns, "viz");
    stuck.getMetadata().setAnnotations(Map.of("s3.integrations.dev/skip-cleanup", "true"));
    client.resource(stuck).update();
    await().atMost(Duration.ofSeconds(60)).until(() -> op.integration(ns, "viz") == null);
    // Storage was left as it was.
    assertThat(rootAdmin.getUserInfo(user).status()).isEqualTo(UserInfo.Status.ENABLED);
    rootAdmin.deleteUser(user);
  }

  /**
   * A store that is gone (its protection finalizer removed by hand) cannot block a deletion: it is
   * released with a Warning Event naming the user left behind and a metric naming only the store,
   * and the record goes.
   */
  @Test
  void deletionWhoseStoreIsGoneIsReleasedNamingTheUserLeftBehind() throws Exception {
    // Deleted while in use, it waits; someone then removes its finalizer by hand.
    client.resources(S3Store.class).inNamespace(ns).withName("minio").delete();
    S3Store waiting = client.resources(S3Store.class).inNamespace(ns).withName("minio").get();
    if (waiting != null) {
      waiting.getMetadata().setFinalizers(List.of());
      client.resource(waiting).update();
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> client.resources(S3Store.class).inNamespace(ns).withName("minio").get() == null);

    client.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> op.integration(ns, "viz") == null);

    assertThat(
            client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "UserLeftBehind".equals(e.getReason()))
                .map(e -> e.getMessage()))
        .singleElement()
        .asString()
        .contains(user)
        .contains("S3Store/" + ns + "/minio is gone");
    assertThat(
            op.registry
                .find("s3.operator.users.left.behind")
                .tags("store", "S3Store/" + ns + "/minio")
                .counter()
                .count())
        .isEqualTo(1.0);
    // /metrics names no tenant's user: the store label only (the Event above names the user)
    assertThat(op.registry.find("s3.operator.users.left.behind").counters())
        .allSatisfy(
            c -> assertThat(c.getId().getTags()).extracting("key").containsExactly("store"));
    assertThat(op.registry.getMetersAsString()).doesNotContain(user);
    assertThat(
            client
                .secrets()
                .inNamespace(Fixtures.OPERATOR_NAMESPACE)
                .withLabel(OwnershipRecordSecret.LABEL)
                .list()
                .getItems())
        .noneSatisfy(
            r ->
                assertThat(r.getMetadata().getAnnotations())
                    .containsEntry(OwnershipRecordSecret.USER_ANNOTATION, user));
    assertThat(rootAdmin.getUserInfo(user).status()).isEqualTo(UserInfo.Status.ENABLED);
    rootAdmin.deleteUser(user);
  }

  @Test
  void aSecondWriterFightingOverTheSecretIsNotAnEndlessLoop() throws Exception {
    String endpoint = op.secretValue(ns, "viz-s3", "AWS_ENDPOINT_URL");
    String foreign = "https://elsewhere.example";
    AtomicInteger foreignWrites = new AtomicInteger();
    // the other writer: puts its endpoint back whenever the operator restored ours
    long until = System.nanoTime() + Duration.ofSeconds(25).toNanos();
    while (System.nanoTime() < until) {
      if (!foreign.equals(op.secretValue(ns, "viz-s3", "AWS_ENDPOINT_URL"))) {
        client
            .secrets()
            .inNamespace(ns)
            .withName("viz-s3")
            .edit(
                s -> {
                  s.getData()
                      .put(
                          "AWS_ENDPOINT_URL",
                          java.util.Base64.getEncoder()
                              .encodeToString(
                                  foreign.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                  return s;
                });
        foreignWrites.incrementAndGet();
      }
      Thread.sleep(100);
    }

    assertThat(foreignWrites.get())
        .as("times the operator restored the Secret in 25 s of a fight (then it stops)")
        .isBetween(SecretFights.LIMIT, SecretFights.LIMIT + 1);
    var contested = op.condition(ns, "viz", "SecretReady").orElseThrow();
    assertThat(contested.getReason()).isEqualTo("SecretContested");
    assertThat(contested.getMessage()).contains("viz-s3").contains("restored 5 times");
    assertThat(
            client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "SecretContested".equals(e.getReason()))
                .toList())
        .as("one Warning Event for the fight, not one per write")
        .singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    assertThat(op.secretValue(ns, "viz-s3", "AWS_ENDPOINT_URL")).isEqualTo(foreign);
    assertThat(endpoint).isNotEqualTo(foreign);
    assertThat(keyWorks(key)).as("the MinIO user is not touched by the fight").isTrue();
  }
}
