package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.validateOnly;
import static dev.integrations.s3.testing.Fixtures.validateOnlyStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.BucketStatus;
import dev.integrations.s3.api.v1alpha1.PolicyRef;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.minio.MinioClient;
import io.minio.admin.MinioAdminClient;
import io.minio.admin.UserInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Validate-only mode (credentials.secretRef), as used for Oracle, HCP or any S3 system: the test
 * plays the customer and creates the user and policy by hand; the operator only verifies the keys
 * and publishes the same Secret contract — and never writes to the storage.
 */
@EnableKubernetesMockClient(crud = true)
class S3IntegrationValidateOnlyMockIT {
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

  /** The customer's manual steps: a user holding a read policy on the bucket. */
  private String handMadeUser(String bucket, String user) throws Exception {
    String policyName = "hand-" + user;
    rootAdmin.addCannedPolicy(
        policyName,
        PolicyDocument.render(new ReadGrant(List.of(new BucketGrant(bucket, null)), null)));
    String secret = "Hand" + MinioServer.randomAlnum(30);
    rootAdmin.addUser(user, UserInfo.Status.ENABLED, secret, null, null);
    rootAdmin.setPolicy(user, false, policyName);
    return secret;
  }

  private Map<String, String> serverState() throws Exception {
    Map<String, String> state = new TreeMap<>();
    rootAdmin
        .listUsers()
        .forEach((k, v) -> state.put("user:" + k, v.status() + "/" + v.policyName()));
    rootAdmin
        .listCannedPolicies()
        .forEach((k, v) -> state.put("policy:" + k, PolicyDocument.canonical(v)));
    return state;
  }

  @Test
  void fullCycleVerifiesAndPublishesTheContractWithoutAnyWriteToTheStorage() throws Exception {
    String ns = "ns-" + MinioServer.randomSuffix();
    client.resource(validateOnlyStore(ns, "storage", minio.host(), minio.port())).create();
    String bucket = "oracle-" + MinioServer.randomSuffix();
    object(root, bucket, "doc.pdf", "pdf");
    String user = "customer" + MinioServer.randomSuffix();
    String secret = handMadeUser(bucket, user);
    client.resource(adminSecret(ns, "oracle-creds", user, secret)).create();
    String inputVersion =
        client
            .secrets()
            .inNamespace(ns)
            .withName("oracle-creds")
            .get()
            .getMetadata()
            .getResourceVersion();
    Map<String, String> before = serverState();
    int adminCallsBefore =
        op.minioAdmin.snapshot().values().stream().mapToInt(Integer::intValue).sum();

    client.resource(validateOnly(ns, "oracle", "storage", "oracle-creds", bucket)).create();
    S3Integration ready = op.awaitReady(ns, "oracle", "True", "Ready");

    assertThat(op.condition(ns, "oracle", "PolicyApplied").orElseThrow())
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("NotApplicable");
              assertThat(c.getMessage()).contains("validate-only");
            });
    assertThat(op.condition(ns, "oracle", "CredentialsReady").orElseThrow().getReason())
        .isEqualTo("KeysProvided");
    assertThat(ready.getStatus().getAccessKeyId()).isEqualTo(user);
    assertThat(ready.getStatus().getUserName()).isNull();
    assertThat(ready.getStatus().getPolicyName()).isNull();
    assertThat(ready.getStatus().getScope()).isEqualTo(bucket);
    assertThat(ready.getStatus().getBuckets())
        .containsExactly(
            new BucketStatus(
                bucket, BucketStatus.Result.Allowed, BucketStatus.Result.Allowed, null));
    assertThat(op.secretValue(ns, "oracle-s3", "AWS_ACCESS_KEY_ID")).isEqualTo(user);
    assertThat(op.secretValue(ns, "oracle-s3", "AWS_SECRET_ACCESS_KEY")).isEqualTo(secret);
    assertThat(op.secretValue(ns, "oracle-s3", "S3_BUCKET")).isEqualTo(bucket);
    assertThat(op.secretValue(ns, "oracle-s3", "S3_LOCATOR_PATTERN"))
        .isEqualTo("s3://" + bucket + "/*");
    assertThat(op.secret(ns, "oracle-s3").getMetadata().getLabels())
        .containsEntry("s3.integrations.dev/scope", "bucket");

    client.resources(S3Integration.class).inNamespace(ns).withName("oracle").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> op.integration(ns, "oracle") == null);

    assertThat(serverState()).as("users and policies on the server").isEqualTo(before);
    assertThat(op.minioAdmin.snapshot().values().stream().mapToInt(Integer::intValue).sum())
        .as("admin API calls in validate-only mode")
        .isEqualTo(adminCallsBefore);
    assertThat(
            client
                .secrets()
                .inNamespace(ns)
                .withName("oracle-creds")
                .get()
                .getMetadata()
                .getResourceVersion())
        .as("the input Secret is never modified")
        .isEqualTo(inputVersion);
  }

  @Test
  void rotatedKeysInTheInputSecretReachTheOutputSecretWithinSeconds() throws Exception {
    String ns = "ns-" + MinioServer.randomSuffix();
    client.resource(validateOnlyStore(ns, "storage", minio.host(), minio.port())).create();
    String bucket = "rotate-" + MinioServer.randomSuffix();
    object(root, bucket, "a", "a");
    String first = "first" + MinioServer.randomSuffix();
    String second = "second" + MinioServer.randomSuffix();
    String firstSecret = handMadeUser(bucket, first);
    String secondSecret = handMadeUser(bucket, second);
    client.resource(adminSecret(ns, "creds", first, firstSecret)).create();
    client.resource(validateOnly(ns, "viz", "storage", "creds", bucket)).create();
    op.awaitReady(ns, "viz", "True", "Ready");
    String verifiedAt = op.integration(ns, "viz").getStatus().getLastVerifiedTime();

    client.resource(adminSecret(ns, "creds", second, secondSecret)).update();

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> second.equals(op.secretValue(ns, "viz-s3", "AWS_ACCESS_KEY_ID")));
    assertThat(op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY")).isEqualTo(secondSecret);
    S3Integration ready = op.awaitReady(ns, "viz", "True", "Ready");
    assertThat(ready.getStatus().getAccessKeyId()).isEqualTo(second);
    assertThat(ready.getStatus().getLastVerifiedTime()).isNotNull();
    assertThat(verifiedAt).isNotNull();
  }

  @Test
  void rejectedKeysGiveCredentialsRejectedAndTheStorageIsUntouched() throws Exception {
    String ns = "ns-" + MinioServer.randomSuffix();
    client.resource(validateOnlyStore(ns, "storage", minio.host(), minio.port())).create();
    String bucket = "reject-" + MinioServer.randomSuffix();
    object(root, bucket, "a", "a");
    String user = "cust" + MinioServer.randomSuffix();
    handMadeUser(bucket, user);
    String wrong = "Wrong" + MinioServer.randomAlnum(30);
    client.resource(adminSecret(ns, "creds", user, wrong)).create();
    client.resource(validateOnly(ns, "viz", "storage", "creds", bucket)).create();

    op.awaitReady(ns, "viz", "False", "CredentialsRejected");
    // names where the keys come from; not the access key: a value that has not authenticated may
    // be any value of the Secret (issue 21, item 4; CredentialsNeverLeakMockIT)
    assertThat(op.condition(ns, "viz", "CredentialsReady").orElseThrow().getMessage())
        .contains("Secret \"creds\"", "\"accessKey\"", "\"secretKey\"")
        .doesNotContain(user)
        .doesNotContain(wrong);
  }

  @Test
  void bucketsComeFromTheReferencedPoliciesWhenNoBucketIsSet() throws Exception {
    String ns = "ns-" + MinioServer.randomSuffix();
    client.resource(validateOnlyStore(ns, "storage", minio.host(), minio.port())).create();
    String bucket = "bypolicy-" + MinioServer.randomSuffix();
    object(root, bucket, "a", "a");
    String user = "cust" + MinioServer.randomSuffix();
    String secret = handMadeUser(bucket, user);
    client.resource(adminSecret(ns, "creds", user, secret)).create();
    client.resource(policy(ns, "what-we-read", bucket)).create();
    S3Integration i = validateOnly(ns, "viz", "storage", "creds", null);
    i.getSpec().setAccessPolicyRefs(List.of(new PolicyRef("what-we-read")));
    client.resource(i).create();

    S3Integration ready = op.awaitReady(ns, "viz", "True", "Ready");
    assertThat(ready.getStatus().getScope()).isEqualTo("all");
    assertThat(ready.getStatus().getBuckets())
        .extracting(BucketStatus::getName)
        .containsExactly(bucket);
    assertThat(op.secretValue(ns, "viz-s3", "S3_LOCATOR_PATTERN")).isEqualTo("s3://*");
  }
}
