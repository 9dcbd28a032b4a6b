package dev.integrations.s3.reconciler;

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
class ScopeConflictIT {
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
}
