package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.VerificationSpec;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.testing.Endpoints;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import dev.integrations.s3.verify.AccessProber;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import io.minio.admin.MinioAdminClient;
import io.minio.admin.UserInfo;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input and faults against the real MinIO: each ends in a precise reason, damages nothing, and
 * fixing the input recovers without restarting the operator.
 */
@EnableKubernetesMockClient(crud = true)
class S3IntegrationFaultsMockIT {
  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;
  static MinioAdminClient rootAdmin;
  static MinioClient root;

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

  @AfterEach
  void clearFaults() {
    op.minioAdmin.clearFaults();
  }

  private String namespaceWithPolicy(String bucket) throws Exception {
    String ns = "ns-" + MinioServer.randomSuffix();
    object(root, bucket, "a.txt", "a");
    client.resource(policy(ns, "read", bucket)).create();
    return ns;
  }

  @Test
  void missingAdminSecretThenMissingKeyThenFixed() throws Exception {
    String ns = namespaceWithPolicy("nosecret-" + MinioServer.randomSuffix());
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();

    S3Integration i = op.awaitReady(ns, "viz", "False", "SecretNotFound");
    assertThat(op.condition(ns, "viz", "CredentialsReady").orElseThrow().getMessage())
        .isEqualTo("admin Secret \"minio-admin\" not found");
    assertThat(op.secret(ns, "viz-s3")).as("no Secret is written before credentials work").isNull();
    assertThat(i.getStatus().getUserName()).isNull();

    var partial = adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey());
    partial.getStringData().remove("secretKey");
    client.resource(partial).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                op.condition(ns, "viz", "Ready")
                    .map(c -> c.getMessage().contains("no (or an empty) key \"secretKey\""))
                    .orElse(false));

    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).update();
    op.awaitReady(ns, "viz", "True", "Ready");
  }

  @Test
  void wrongAdminKeysGiveAdminCredentialsInvalidWithoutRetryLoop() throws Exception {
    String ns = namespaceWithPolicy("wrongkeys-" + MinioServer.randomSuffix());
    String wrongSecret = "wrong" + MinioServer.randomAlnum(20);
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), wrongSecret)).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();

    op.awaitReady(ns, "viz", "False", "AdminCredentialsInvalid");
    String message = op.condition(ns, "viz", "Ready").orElseThrow().getMessage();
    // the tenant learns that the store's keys fail, not the admin's access key (issue 21, item 10)
    assertThat(message)
        .contains("the store's admin keys were rejected")
        .doesNotContain(minio.accessKey())
        .doesNotContain(wrongSecret);
    // the store's administrator (here the team that owns the S3Store) has the detail
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        dev.integrations.s3.status.Conditions.find(
                                client
                                    .resources(S3Store.class)
                                    .inNamespace(ns)
                                    .withName("minio")
                                    .get()
                                    .getStatus()
                                    .getConditions(),
                                "Ready")
                            .orElseThrow()
                            .getMessage())
                    .contains(minio.accessKey(), "SignatureDoesNotMatch")
                    .doesNotContain(wrongSecret));

    // Permanent: no retry loop hammers MinIO with wrong keys.
    String user = ns + ".viz";
    int before = op.minioAdmin.count("user", user);
    await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> true);
    assertThat(op.minioAdmin.count("user", user)).isEqualTo(before);

    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).update();
    op.awaitReady(ns, "viz", "True", "Ready");
  }

  @Test
  void unreachableEndpointRetriesWithBackoffAndRecoversWhenMinioStarts() throws Exception {
    int port = MinioServer.freePort();
    String user = "root" + MinioServer.randomAlnum(8);
    String password = MinioServer.randomAlnum(32);
    String ns = "ns-" + MinioServer.randomSuffix();
    client.resource(adminSecret(ns, "minio-admin", user, password)).create();
    client.resource(store(ns, "minio", "127.0.0.1", port, "minio-admin")).create();
    client.resource(policy(ns, "read", "late-bucket")).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();

    op.awaitReady(ns, "viz", "False", "EndpointUnreachable");
    assertThat(op.condition(ns, "viz", "Ready").orElseThrow().getMessage())
        .contains("127.0.0.1:" + port);

    MinioServer late = MinioServer.startLocal(port, user, password);
    try {
      object(late.rootS3(), "late-bucket", "x", "x");
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  op.condition(ns, "viz", "Ready")
                      .map(c -> "True".equals(c.getStatus()))
                      .orElse(false));
    } finally {
      client.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> op.integration(ns, "viz") == null);
      late.stop();
    }
  }

  @Test
  void bucketThatDoesNotExistGivesNoSuchBucketBeforeAnythingIsCreated() throws Exception {
    String ns = "ns-" + MinioServer.randomSuffix();
    String bucket = "missing-" + MinioServer.randomSuffix();
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(policy(ns, "read", bucket)).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();

    op.awaitReady(ns, "viz", "False", "NoSuchBucket");
    assertThat(op.condition(ns, "viz", "AccessVerified").orElseThrow().getMessage())
        .contains("\"" + bucket + "\" does not exist")
        .contains("nothing was created");
    // answered with a read of the admin's, before any write: no user, policy, record or Secret
    String user = ns + ".viz";
    assertThatThrownBy(() -> rootAdmin.getUserInfo(user)).isInstanceOf(Exception.class);
    assertThat(rootAdmin.listCannedPolicies()).doesNotContainKey("s3i-" + user);
    assertThat(
            client
                .secrets()
                .inNamespace(dev.integrations.s3.testing.Fixtures.OPERATOR_NAMESPACE)
                .withName(
                    dev.integrations.s3.ownership.OwnershipRecordSecret.name(
                        "S3Store/" + ns + "/minio", user))
                .get())
        .isNull();
    assertThat(op.secret(ns, "viz-s3")).isNull();
  }

  @Test
  void verificationRunsAgainEveryIntervalAndSeesABucketCreatedLater() throws Exception {
    String ns = "ns-" + MinioServer.randomSuffix();
    String bucket = "later-" + MinioServer.randomSuffix();
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(policy(ns, "read", bucket)).create();
    S3Integration i = managed(ns, "viz", "minio", "read");
    VerificationSpec verification = new VerificationSpec();
    verification.setInterval("1m"); // a failing verification repeats after 10 s
    i.getSpec().setVerification(verification);
    client.resource(i).create();
    op.awaitReady(ns, "viz", "False", "NoSuchBucket");

    // Let the reconciles caused by the operator's own writes settle; from then on nothing touches
    // the integration, and only the scheduled re-verification can notice the bucket.
    await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);
    object(root, bucket, "a.txt", "a");
    S3Integration ready = op.awaitReady(ns, "viz", "True", "Ready");
    assertThat(ready.getStatus().getLastVerifiedTime()).isNotNull();
  }

  @Test
  void preExistingUserIsNeverTakenOver() throws Exception {
    String ns = namespaceWithPolicy("conflict-" + MinioServer.randomSuffix());
    String owner = ns + ".viz"; // the name the operator would derive: someone took it first
    String theirSecret = "their-secret-" + MinioServer.randomAlnum(16);
    rootAdmin.addUser(owner, UserInfo.Status.ENABLED, theirSecret, null, null);
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();

    op.awaitReady(ns, "viz", "False", "UserConflict");
    assertThat(op.condition(ns, "viz", "CredentialsReady").orElseThrow().getMessage())
        .contains(owner);
    assertThat(op.secret(ns, "viz-s3")).isNull();
    // Their key still works and their user holds no policy of ours.
    new AccessProber()
        .authenticate(
            Endpoints.of(minio.host(), minio.port(), false, "us-east-1"), owner, theirSecret);
    assertThat(rootAdmin.getUserInfo(owner).policyName()).isNullOrEmpty();

    // Deleting our integration leaves their user alone.
    client.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> op.integration(ns, "viz") == null);
    assertThat(rootAdmin.getUserInfo(owner).status()).isEqualTo(UserInfo.Status.ENABLED);
  }

  @Test
  void preExistingPolicyOfOurNameIsNeverOverwritten() throws Exception {
    String bucket = "pconflict-" + MinioServer.randomSuffix();
    String ns = namespaceWithPolicy(bucket);
    String user = ns + ".viz";
    String theirs =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::somewhere-else/*\"]}]}";
    rootAdmin.addCannedPolicy("s3i-" + user, theirs);
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();

    op.awaitReady(ns, "viz", "False", "PolicyConflict");
    assertThat(PolicyDocument.equivalent(rootAdmin.listCannedPolicies().get("s3i-" + user), theirs))
        .isTrue();
    assertThat(rootAdmin.listUsers()).doesNotContainKey(user);
    assertThat(op.secret(ns, "viz-s3")).isNull();
  }

  @Test
  void aSecretOfTheOutputNameThatIsNotOursIsNeverOverwritten() throws Exception {
    String ns = namespaceWithPolicy("sconflict-" + MinioServer.randomSuffix());
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(adminSecret(ns, "viz-s3", "someone", "someones-own-secret-value")).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();

    op.awaitReady(ns, "viz", "False", "SecretConflict");
    assertThat(op.condition(ns, "viz", "SecretReady").orElseThrow().getMessage())
        .contains("\"viz-s3\" already exists and is not managed by this S3Integration");
    assertThat(op.secretValue(ns, "viz-s3", "secretKey")).isEqualTo("someones-own-secret-value");
    assertThat(op.secret(ns, "viz-s3").getData()).doesNotContainKey("AWS_SECRET_ACCESS_KEY");
    assertThat(op.minioAdmin.writes(ns + ".viz")).as("nothing written to MinIO").isZero();

    // Choosing another name resolves it.
    S3Integration renamed = op.integration(ns, "viz");
    renamed.getSpec().setSecretName("viz-own-s3");
    client.resource(renamed).update();
    op.awaitReady(ns, "viz", "True", "Ready");
    assertThat(op.secretValue(ns, "viz-s3", "secretKey")).isEqualTo("someones-own-secret-value");
  }

  /**
   * Issue 21, item 8: JOSDK catches exceptions, not Errors; one escaping a reconcile left the
   * integration marked as being processed, never reconciled again until a restart (not Ready, not
   * even deletable). Now it fails like any exception, says so, and the retry completes it.
   */
  @Test
  void anErrorInAReconcileFailsItAndTheRetryCompletesIt() throws Exception {
    String bucket = "error-" + MinioServer.randomSuffix();
    String ns = namespaceWithPolicy(bucket);
    String user = ns + ".viz";
    AtomicInteger thrown = new AtomicInteger();
    op.minioAdmin.inject(
        "createUser",
        u -> {
          if (u.equals(user) && thrown.getAndIncrement() == 0) {
            throw new StackOverflowError();
          }
        });
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();

    S3Integration ready = op.awaitReady(ns, "viz", "True", "Ready");
    assertThat(thrown.get()).as("createUser(%s) calls, the first threw", user).isGreaterThan(1);
    assertThat(ready.getStatus().getSecretName()).isEqualTo("viz-s3");
    String key = op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY");
    assertThat(minio.s3(user, key).bucketExists(BucketExistsArgs.builder().bucket(bucket).build()))
        .isTrue();
    // and it can still be deleted: the finalizer's clean-up runs
    client.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.resources(S3Integration.class).inNamespace(ns).withName("viz").get()
                    == null);
    assertThat(rootAdmin.listUsers()).doesNotContainKey(user);
  }

  @Test
  void operatorKilledBetweenSecretAndUserCompletesOnTheNextReconcile() throws Exception {
    String bucket = "crash-" + MinioServer.randomSuffix();
    String ns = namespaceWithPolicy(bucket);
    String user = ns + ".viz";
    AtomicBoolean crashed = new AtomicBoolean();
    op.minioAdmin.inject(
        "createUser",
        u -> {
          if (u.equals(user) && crashed.compareAndSet(false, true)) {
            throw new IllegalStateException("simulated crash after the Secret was written");
          }
        });
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();

    await().atMost(Duration.ofSeconds(20)).until(crashed::get);
    String keyBeforeRestart =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY"), v -> v != null);
    op.restart();

    op.awaitReady(ns, "viz", "True", "Ready");
    assertThat(op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY")).isEqualTo(keyBeforeRestart);
    assertThat(
            minio
                .s3(user, keyBeforeRestart)
                .bucketExists(BucketExistsArgs.builder().bucket(bucket).build()))
        .isTrue();
  }

  @Test
  void invalidSpecThatSlippedPastTheSchemaGivesInvalidSpecAndRecovers() throws Exception {
    String ns = namespaceWithPolicy("invalid-" + MinioServer.randomSuffix());
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", "http://minio:9000", minio.port(), "minio-admin")).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();

    op.awaitReady(ns, "viz", "False", "InvalidSpec");
    assertThat(op.condition(ns, "viz", "Ready").orElseThrow().getMessage())
        .contains("\"http://minio:9000\"");
    assertThat(op.minioAdmin.count("user", ns + ".viz")).isZero();
    assertThat(op.secret(ns, "viz-s3")).isNull();

    S3Store fixed = client.resources(S3Store.class).inNamespace(ns).withName("minio").get();
    fixed.getSpec().setEndpoint(minio.host());
    client.resource(fixed).update();
    op.awaitReady(ns, "viz", "True", "Ready");
  }
}
