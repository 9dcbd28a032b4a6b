package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.validateOnly;
import static dev.integrations.s3.testing.Fixtures.validateOnlyStore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.minio.admin.MinioAdminClient;
import io.minio.admin.UserInfo;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** At most one all-buckets integration and one per bucket in a namespace; the later one waits. */
@EnableKubernetesMockClient(crud = true)
class ScopeConflictMockIT {
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

  @Test
  void laterConflictingIntegrationWaitsAndBecomesReadyWhenTheEarlierIsDeleted() throws Exception {
    String ns = "ns-" + MinioServer.randomSuffix();
    client.resource(validateOnlyStore(ns, "storage", minio.host(), minio.port())).create();
    String bucket = "scope-" + MinioServer.randomSuffix();
    object(minio.rootS3(), bucket, "a", "a");
    MinioAdminClient admin = minio.rootAdmin();
    String user = "scoped" + MinioServer.randomSuffix();
    String secret = "S" + MinioServer.randomAlnum(30);
    admin.addCannedPolicy(
        "p-" + user,
        PolicyDocument.render(new ReadGrant(List.of(new BucketGrant(bucket, null)), null)));
    admin.addUser(user, UserInfo.Status.ENABLED, secret, null, null);
    admin.setPolicy(user, false, "p-" + user);
    client.resource(adminSecret(ns, "creds", user, secret)).create();

    // a-default: all buckets; a-scoped: this bucket — both may coexist.
    S3Integration firstDefault = validateOnly(ns, "a-default", "storage", "creds", null);
    firstDefault.getSpec().setAccessPolicyRefs(List.of());
    firstDefault.getSpec().setBucket(null);
    firstDefault
        .getSpec()
        .setAccessPolicyRefs(List.of(new dev.integrations.s3.api.v1alpha1.PolicyRef("read")));
    client.resource(dev.integrations.s3.testing.Fixtures.policy(ns, "read", bucket)).create();
    client.resource(firstDefault).create();
    op.awaitReady(ns, "a-default", "True", "Ready");
    client.resource(validateOnly(ns, "a-scoped", "storage", "creds", bucket)).create();
    op.awaitReady(ns, "a-scoped", "True", "Ready");

    // b-default and b-scoped conflict with them and wait, naming the earlier one.
    S3Integration secondDefault = validateOnly(ns, "b-default", "storage", "creds", null);
    secondDefault
        .getSpec()
        .setAccessPolicyRefs(List.of(new dev.integrations.s3.api.v1alpha1.PolicyRef("read")));
    client.resource(secondDefault).create();
    client.resource(validateOnly(ns, "b-scoped", "storage", "creds", bucket)).create();

    op.awaitReady(ns, "b-default", "False", "ScopeConflict");
    op.awaitReady(ns, "b-scoped", "False", "ScopeConflict");
    assertThat(op.condition(ns, "b-default", "Ready").orElseThrow().getMessage())
        .contains("\"a-default\"")
        .contains("all buckets");
    assertThat(op.condition(ns, "b-scoped", "Ready").orElseThrow().getMessage())
        .contains("\"a-scoped\"")
        .contains(bucket);
    assertThat(op.secret(ns, "b-default-s3")).as("a waiting integration writes no Secret").isNull();

    // The earlier ones stay Ready.
    op.awaitReady(ns, "a-default", "True", "Ready");

    client.resources(S3Integration.class).inNamespace(ns).withName("a-default").delete();
    client.resources(S3Integration.class).inNamespace(ns).withName("a-scoped").delete();
    op.awaitReady(ns, "b-default", "True", "Ready");
    op.awaitReady(ns, "b-scoped", "True", "Ready");
  }

  /** JOSDK's count of S3Integration reconciles started, all resources together. */
  private static double reconcilesStarted() {
    return op.registry.getMeters().stream()
        .filter(m -> m.getId().getName().equals("operator.sdk.reconciliations.started"))
        .filter(m -> "S3Integration".equals(m.getId().getTag("kind")))
        .mapToDouble(m -> ((io.micrometer.core.instrument.Counter) m).count())
        .sum();
  }

  private static double quietReconcileCount() {
    double[] last = {-1};
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .pollInterval(java.time.Duration.ofSeconds(2))
        .until(
            () -> {
              double now = reconcilesStarted();
              boolean quiet = now == last[0];
              last[0] = now;
              return quiet;
            });
    return last[0];
  }

  @Test
  void onlyPeersAScopeChangeConcernsAreReconciled() throws Exception {
    String ns = "ns-" + MinioServer.randomSuffix();
    client.resource(validateOnlyStore(ns, "storage", minio.host(), minio.port())).create();
    String run = MinioServer.randomSuffix();
    List<BucketGrant> grants = new java.util.ArrayList<>();
    for (int b = 0; b <= 10; b++) {
      object(minio.rootS3(), "peer" + b + "-" + run, "a", "a");
      grants.add(new BucketGrant("peer" + b + "-" + run, null));
    }
    MinioAdminClient admin = minio.rootAdmin();
    String user = "peers" + run;
    String secret = "S" + MinioServer.randomAlnum(30);
    admin.addCannedPolicy("p-" + user, PolicyDocument.render(new ReadGrant(grants, null)));
    admin.addUser(user, UserInfo.Status.ENABLED, secret, null, null);
    admin.setPolicy(user, false, "p-" + user);
    client.resource(adminSecret(ns, "creds", user, secret)).create();
    for (int b = 0; b < 10; b++) {
      client
          .resource(validateOnly(ns, "s" + b, "storage", "creds", "peer" + b + "-" + run))
          .create();
    }
    for (int b = 0; b < 10; b++) {
      op.awaitReady(ns, "s" + b, "True", "Ready");
    }
    client.resource(validateOnly(ns, "z-late", "storage", "creds", "peer0-" + run)).create();
    op.awaitReady(ns, "z-late", "False", "ScopeConflict");

    // an edit that is not about scope wakes that integration only, not its ten peers
    double before = quietReconcileCount();
    assertThat(before).as("reconciles counted so far").isGreaterThanOrEqualTo(11);
    client
        .resources(S3Integration.class)
        .inNamespace(ns)
        .withName("s5")
        .edit(
            i -> {
              i.getSpec().setSecretName("s5-config");
              return i;
            });
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> op.secret(ns, "s5-config") != null);
    // the edited one (its spec, its new Secret, its retired Secret, its status) and the one
    // waiting in ScopeConflict: never the ten others (11+ before peers were woken by scope)
    double woken = quietReconcileCount() - before;
    System.out.printf("reconciles after one secretName edit in a namespace of 11: %.0f%n", woken);
    assertThat(woken)
        .as("reconciles after an edit of one integration's secretName, in a namespace of 11")
        .isLessThanOrEqualTo(6);

    // s0 moves to another bucket: z-late, waiting on s0's old scope, goes on
    client
        .resources(S3Integration.class)
        .inNamespace(ns)
        .withName("s0")
        .edit(
            i -> {
              i.getSpec().setBucket("peer10-" + run);
              return i;
            });
    op.awaitReady(ns, "z-late", "True", "Ready");
    op.awaitReady(ns, "s0", "True", "Ready");
  }
}
