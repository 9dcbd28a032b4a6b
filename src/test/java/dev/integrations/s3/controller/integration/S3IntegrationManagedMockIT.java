package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.BucketAccess;
import dev.integrations.s3.api.v1alpha1.BucketStatus;
import dev.integrations.s3.api.v1alpha1.DeletionPolicy;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.admin.MinioAdminClient;
import io.minio.errors.ErrorResponseException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * S3Integration in managed mode, end to end: the operator on the fabric8 mock API server (CRUD, SSA
 * off), MinIO real. What is asserted is what a user sees: conditions, the Secret, the user and
 * policy on the server, and whether the issued keys can read.
 */
@EnableKubernetesMockClient(crud = true)
class S3IntegrationManagedMockIT {
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

  /** A namespace with the admin Secret, a bucket with one object and a policy for it. */
  private String setUp(String bucket) throws Exception {
    String ns = "ns-" + MinioServer.randomSuffix();
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    object(root, bucket, "cats/001.jpg", "meow");
    client.resource(policy(ns, "read", bucket)).create();
    return ns;
  }

  private S3Integration create(String ns, String name) {
    return client.resource(managed(ns, name, "minio", "read")).create();
  }

  @Test
  void managedIntegrationBecomesReadyWithAWorkingUserPolicyAndSecret() throws Exception {
    String bucket = "share-" + MinioServer.randomSuffix();
    String ns = setUp(bucket);
    S3Integration labelled = managed(ns, "viz", "minio", "read");
    // GitOps labels on the integration must not be copied to the Secret (Argo CD would prune it).
    labelled.getMetadata().setLabels(Map.of("argocd.argoproj.io/instance", "team-a"));
    client.resource(labelled).create();

    S3Integration ready = op.awaitReady(ns, "viz", "True", "Ready");

    String user = ns + ".viz";
    assertThat(ready.getStatus().getUserName()).isEqualTo(user);
    assertThat(ready.getStatus().getPolicyName()).isEqualTo("s3i-" + user);
    assertThat(ready.getStatus().getSecretName()).isEqualTo("viz-s3");
    assertThat(ready.getStatus().getEndpointURL()).isEqualTo(minio.endpoint());
    assertThat(ready.getStatus().getScope()).isEqualTo("all");
    assertThat(ready.getStatus().getLastVerifiedTime()).isNotBlank();
    assertThat(ready.getStatus().getBuckets())
        .containsExactly(
            new BucketStatus(
                bucket, BucketStatus.Result.Allowed, BucketStatus.Result.Allowed, null));
    for (String type :
        List.of("CredentialsReady", "PolicyApplied", "AccessVerified", "SecretReady")) {
      assertThat(op.condition(ns, "viz", type))
          .hasValueSatisfying(c -> assertThat(c.getStatus()).as(type).isEqualTo("True"));
    }
    assertThat(ready.getMetadata().getFinalizers()).contains("s3.integrations.dev/cleanup");

    Secret secret = op.secret(ns, "viz-s3");
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(secret.getMetadata().getLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "app.kubernetes.io/managed-by", "s3-integration-operator",
                "s3.integrations.dev/integration", "viz",
                "s3.integrations.dev/scope", "all-buckets"));
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getKind()).isEqualTo("S3Integration");
              assertThat(r.getUid()).isEqualTo(ready.getMetadata().getUid());
              assertThat(r.getController()).isTrue();
            });
    assertThat(secret.getData())
        .containsOnlyKeys(
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_ENDPOINT_URL",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_CONFIG_FILE",
            "S3_JAVA_TOOL_OPTIONS",
            "S3_ENDPOINT",
            "S3_PORT",
            "S3_ADDRESSING_STYLE",
            "S3_LOCATOR_PATTERN",
            "aws-config",
            "integration.json");
    assertThat(op.secretValue(ns, "viz-s3", "AWS_ACCESS_KEY_ID")).isEqualTo(user);
    assertThat(op.secretValue(ns, "viz-s3", "AWS_ENDPOINT_URL")).isEqualTo(minio.endpoint());
    assertThat(op.secretValue(ns, "viz-s3", "AWS_REGION")).isEqualTo("us-east-1");
    assertThat(op.secretValue(ns, "viz-s3", "S3_ENDPOINT")).isEqualTo("127.0.0.1");
    assertThat(op.secretValue(ns, "viz-s3", "S3_PORT")).isEqualTo(String.valueOf(minio.port()));
    assertThat(op.secretValue(ns, "viz-s3", "S3_ADDRESSING_STYLE")).isEqualTo("path");
    assertThat(op.secretValue(ns, "viz-s3", "S3_LOCATOR_PATTERN")).isEqualTo("s3://*");
    assertThat(op.secretValue(ns, "viz-s3", "integration.json"))
        .contains("\"AWS_ACCESS_KEY_ID\":\"" + user + "\"")
        .doesNotContain("AWS_SECRET_ACCESS_KEY");

    // The issued keys read the object; they cannot write.
    String secretKey = op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY");
    assertThat(secretKey).hasSize(40);
    MinioClient issued = minio.s3(user, secretKey);
    assertThat(read(issued, bucket, "cats/001.jpg")).isEqualTo("meow");

    // The metrics a dashboard shows: a verification that passed, and the user created.
    assertThat(op.registry.counter("s3.operator.verifications", "result", "Verified").count())
        .isGreaterThanOrEqualTo(1);
    assertThat(
            op.registry
                .counter(
                    "s3.operator.minio.admin.calls", "operation", "createUser", "outcome", "ok")
                .count())
        .isGreaterThanOrEqualTo(1);

    // On the server: the user holds exactly our policy, whose document is the rendered one.
    assertThat(rootAdmin.getUserInfo(user).policyName()).isEqualTo("s3i-" + user);
    String stored = rootAdmin.listCannedPolicies().get("s3i-" + user);
    assertThat(
            PolicyDocument.equivalent(
                stored,
                PolicyDocument.render(new ReadGrant(List.of(new BucketGrant(bucket, null)), null))))
        .isTrue();
  }

  @Test
  void steadyStateWritesNothingToMinioOrKubernetes() throws Exception {
    String bucket = "quiet-" + MinioServer.randomSuffix();
    String ns = setUp(bucket);
    create(ns, "quiet");
    op.awaitReady(ns, "quiet", "True", "Ready");
    // Let the reconciles caused by our own writes settle.
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);

    String integrationVersion = op.integration(ns, "quiet").getMetadata().getResourceVersion();
    String secretVersion = op.secret(ns, "quiet-s3").getMetadata().getResourceVersion();
    op.minioAdmin.reset();

    for (int i = 0; i < 3; i++) {
      op.touch(ns, "minio-admin", "t" + i);
      int round = i + 1;
      await().atMost(Duration.ofSeconds(20)).until(() -> op.minioAdmin.count("user") >= round);
    }
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);

    assertThat(op.minioAdmin.count("user"))
        .as("reconciles that looked at MinIO")
        .isGreaterThanOrEqualTo(3);
    assertThat(op.minioAdmin.writes())
        .as("MinIO writes in steady state: %s", op.minioAdmin.snapshot())
        .isZero();
    assertThat(op.integration(ns, "quiet").getMetadata().getResourceVersion())
        .isEqualTo(integrationVersion);
    assertThat(op.secret(ns, "quiet-s3").getMetadata().getResourceVersion())
        .isEqualTo(secretVersion);
  }

  @Test
  void changeToAReferencedPolicyReachesMinioWithinSeconds() throws Exception {
    String bucket = "change-" + MinioServer.randomSuffix();
    String ns = setUp(bucket);
    object(root, bucket, "images/a.png", "png");
    create(ns, "viz");
    op.awaitReady(ns, "viz", "True", "Ready");
    String user = ns + ".viz";
    MinioClient issued = minio.s3(user, op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY"));
    assertThat(read(issued, bucket, "cats/001.jpg")).isEqualTo("meow");

    S3AccessPolicy p =
        client.resources(S3AccessPolicy.class).inNamespace(ns).withName("read").get();
    p.getSpec().setBuckets(List.of(new BucketAccess(bucket, List.of("images/"))));
    client.resource(p).update();

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertDenied(() -> read(issued, bucket, "cats/001.jpg")));
    assertThat(read(issued, bucket, "images/a.png")).isEqualTo("png");
    op.awaitReady(ns, "viz", "True", "Ready");
  }

  @Test
  void deletedReferencedPolicyWithdrawsAccessAndSaysPolicyNotFound() throws Exception {
    String bucket = "gone-" + MinioServer.randomSuffix();
    String ns = setUp(bucket);
    create(ns, "viz");
    op.awaitReady(ns, "viz", "True", "Ready");
    String user = ns + ".viz";
    MinioClient issued = minio.s3(user, op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY"));

    client.resources(S3AccessPolicy.class).inNamespace(ns).withName("read").delete();

    S3Integration failed = op.awaitReady(ns, "viz", "False", "PolicyNotFound");
    assertThat(op.condition(ns, "viz", "PolicyApplied").orElseThrow().getMessage())
        .contains("\"read\"");
    assertThat(failed.getStatus().getConditions()).isNotEmpty();
    assertDenied(() -> read(issued, bucket, "cats/001.jpg"));
    assertThat(rootAdmin.getUserInfo(user).policyName()).isNullOrEmpty();

    // Recreating the policy restores access without touching the integration.
    client.resource(policy(ns, "read", bucket)).create();
    op.awaitReady(ns, "viz", "True", "Ready");
    assertThat(read(issued, bucket, "cats/001.jpg")).isEqualTo("meow");
  }

  @Test
  void deleteRemovesUserAndPolicyRetainKeepsThem() throws Exception {
    String bucket = "del-" + MinioServer.randomSuffix();
    String ns = setUp(bucket);
    create(ns, "gone");
    S3Integration retained = managed(ns, "kept", "minio", "read");
    retained.getSpec().setDeletionPolicy(DeletionPolicy.Retain);
    retained.getSpec().setBucket(bucket); // "gone" already applies to all buckets here

    client.resource(retained).create();
    op.awaitReady(ns, "gone", "True", "Ready");
    op.awaitReady(ns, "kept", "True", "Ready");

    client.resources(S3Integration.class).inNamespace(ns).withName("gone").delete();
    client.resources(S3Integration.class).inNamespace(ns).withName("kept").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> op.integration(ns, "gone") == null && op.integration(ns, "kept") == null);

    assertThat(rootAdmin.listCannedPolicies()).doesNotContainKey("s3i-" + ns + ".gone");
    assertThatThrownBy(() -> rootAdmin.getUserInfo(ns + ".gone"))
        .hasMessageContaining("XMinioAdminNoSuchUser");
    assertThat(rootAdmin.listCannedPolicies()).containsKey("s3i-" + ns + ".kept");
    assertThat(rootAdmin.getUserInfo(ns + ".kept").status().toString())
        .isEqualToIgnoringCase("enabled");
  }

  static String read(MinioClient c, String bucket, String key) throws Exception {
    try (InputStream in = c.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  interface Call {
    Object run() throws Exception;
  }

  static void assertDenied(Call call) {
    assertThatThrownBy(call::run)
        .isInstanceOf(ErrorResponseException.class)
        .satisfies(
            e ->
                assertThat(((ErrorResponseException) e).errorResponse().code())
                    .isEqualTo("AccessDenied"));
  }
}
