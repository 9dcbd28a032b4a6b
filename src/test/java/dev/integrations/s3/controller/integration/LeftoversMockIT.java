package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.CredentialsSpec;
import dev.integrations.s3.api.v1alpha1.KeyPairSecretRef;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import dev.integrations.s3.ownership.OwnershipRecordSecret;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.minio.admin.MinioAdminClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an integration used before an identity or Secret change does not stay behind: the previous
 * output Secret is emptied, the previous MinIO user and policy are removed once the new ones work.
 */
@EnableKubernetesMockClient(crud = true)
class LeftoversMockIT {
  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;
  static MinioAdminClient rootAdmin;

  String ns;
  String bucket;

  @BeforeAll
  static void start() {
    minio = MinioServer.shared();
    rootAdmin = minio.rootAdmin();
    op = new OperatorHarness(client, false);
  }

  @AfterAll
  static void stop() {
    op.close();
  }

  @BeforeEach
  void readyIntegration() throws Exception {
    ns = "ns-" + MinioServer.randomSuffix();
    bucket = "left-" + MinioServer.randomSuffix();
    object(minio.rootS3(), bucket, "a.txt", "alpha");
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(policy(ns, "read", bucket)).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();
    op.awaitReady(ns, "viz", "True", "Ready");
  }

  private void edit(java.util.function.Consumer<S3Integration> change) {
    client
        .resources(S3Integration.class)
        .inNamespace(ns)
        .withName("viz")
        .edit(
            i -> {
              change.accept(i);
              return i;
            });
  }

  private List<Secret> records() {
    String uid = op.integration(ns, "viz").getMetadata().getUid();
    return client
        .secrets()
        .inNamespace(Fixtures.OPERATOR_NAMESPACE)
        .withLabel(OwnershipRecordSecret.LABEL)
        .list()
        .getItems()
        .stream()
        .filter(
            r ->
                uid.equals(
                    r.getMetadata().getAnnotations().get(OwnershipRecordSecret.UID_ANNOTATION)))
        .toList();
  }

  private boolean reads(String user, String key) {
    try {
      return S3IntegrationManagedMockIT.read(minio.s3(user, key), bucket, "a.txt").equals("alpha");
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void aRenamedSecretLeavesTheEarlierOneEmptyAndUnlabelled() {
    String key = op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY");

    edit(i -> i.getSpec().setSecretName("viz-config"));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Secret old = op.secret(ns, "viz-s3");
              assertThat(old.getData()).isNullOrEmpty();
              assertThat(old.getMetadata().getLabels())
                  .doesNotContainKeys(
                      ResolvedConfigSecret.MANAGED_BY_LABEL,
                      ResolvedConfigSecret.INTEGRATION_LABEL);
              assertThat(old.getMetadata().getAnnotations())
                  .containsEntry(ResolvedConfigSecret.SUPERSEDED_BY_ANNOTATION, "viz-config");
            });
    assertThat(op.secretValue(ns, "viz-config", "AWS_SECRET_ACCESS_KEY")).isEqualTo(key);
    // the status is written after the Secrets, in the same reconcile
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(op.integration(ns, "viz").getStatus().getSecretName())
                    .isEqualTo("viz-config"));
    op.awaitReady(ns, "viz", "True", "Ready");
  }

  @Test
  void anotherStoreReplacesTheUserAndRemovesThePreviousOne() throws Exception {
    String oldUser = ns + ".viz";
    String oldKey = op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY");
    assertThat(reads(oldUser, oldKey)).isTrue();
    S3Store other = store(ns, "minio-b", minio.host(), minio.port(), "minio-admin");
    other.getSpec().getAdmin().setUserPrefix("b.");
    client.resource(other).create();

    edit(i -> i.getSpec().setStoreRef(new StoreRef(StoreKind.S3Store, "minio-b")));

    String newUser = "b." + ns + ".viz";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> newUser.equals(op.secretValue(ns, "viz-s3", "AWS_ACCESS_KEY_ID")));
    op.awaitReady(ns, "viz", "True", "Ready");
    String newKey = op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY");
    assertThat(reads(newUser, newKey)).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> !reads(oldUser, oldKey));
    assertThatThrownBy(() -> rootAdmin.getUserInfo(oldUser)).hasMessageContaining("does not exist");
    assertThat(rootAdmin.listCannedPolicies()).doesNotContainKey("s3i-" + oldUser);
    assertThat(records())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getMetadata().getAnnotations())
                    .containsEntry(OwnershipRecordSecret.USER_ANNOTATION, newUser));
  }

  @Test
  void switchingToOwnKeysRemovesTheManagedUser() throws Exception {
    String oldUser = ns + ".viz";
    String oldKey = op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY");
    // the team brings its own keys now (here: a user the platform made for it by hand)
    String own = "own" + MinioServer.randomSuffix();
    String ownSecret = "S" + MinioServer.randomAlnum(30);
    rootAdmin.addUser(own, io.minio.admin.UserInfo.Status.ENABLED, ownSecret, null, null);
    rootAdmin.setPolicy(own, false, "readonly");
    client.resource(adminSecret(ns, "own-keys", own, ownSecret)).create();

    edit(
        i -> {
          CredentialsSpec creds = new CredentialsSpec();
          creds.setSecretRef(new KeyPairSecretRef("own-keys"));
          i.getSpec().setCredentials(creds);
        });

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(op.secretValue(ns, "viz-s3", "AWS_ACCESS_KEY_ID"))
                    .as("%s", op.integration(ns, "viz").getStatus().getConditions())
                    .isEqualTo(own));
    await().atMost(Duration.ofSeconds(30)).until(() -> records().isEmpty());
    assertThat(reads(oldUser, oldKey)).isFalse();
    assertThatThrownBy(() -> rootAdmin.getUserInfo(oldUser)).hasMessageContaining("does not exist");
    assertThat(Map.of("key", op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY")))
        .containsEntry("key", ownSecret);
  }
}
