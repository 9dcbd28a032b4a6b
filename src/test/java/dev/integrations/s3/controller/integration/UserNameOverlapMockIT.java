package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.allow;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, item 13: a platform's ClusterS3Store with user prefix {@code k8s<r>.} and a tenant's
 * newer S3Store with {@code k8s<r>.<team-a>.} on one MinIO derive the same user for {@code
 * <team-a>/<x>.y} and {@code <x>/y}. Where the platform's store serves team-a, the tenant's
 * integration is refused before any storage call; the platform's keeps working; where it does not
 * (yet), the tenant's works, and when team-a is labelled later it is refused without anything it
 * has being taken away.
 */
@EnableKubernetesMockClient(crud = true)
class UserNameOverlapMockIT {
  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;

  String team;
  String teamA;
  String tenant;
  String bucket;
  String platformPrefix;
  StoreRef platform;

  @BeforeAll
  static void start() {
    minio = MinioServer.shared();
    op = new OperatorHarness(client, false);
  }

  @AfterAll
  static void stop() {
    op.close();
  }

  @BeforeEach
  void platformStore() throws Exception {
    String r = MinioServer.randomSuffix();
    team = "t" + r;
    teamA = "team-a-" + r;
    tenant = "x-" + r;
    bucket = "overlap-" + r;
    platformPrefix = "k8s" + r + ".";
    object(minio.rootS3(), bucket, "a.txt", "a");
    String name = "platform-" + r;
    Fixtures.createClusterStore(
        client,
        Fixtures.OPERATOR_NAMESPACE,
        name,
        minio,
        allow(Map.of("team", team), bucket),
        s -> s.getSpec().getAdmin().setUserPrefix(platformPrefix));
    platform = new StoreRef(StoreKind.ClusterS3Store, name);
    namespace(tenant, Map.of());
  }

  private void namespace(String ns, Map<String, String> labels) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
  }

  /** The tenant's own S3Store on the same MinIO, prefix {@code <platform prefix><team-a>.}. */
  private void tenantStore() {
    client.resource(adminSecret(tenant, "admin", minio.accessKey(), minio.secretKey())).create();
    S3Store own = store(tenant, "own", minio.host(), minio.port(), "admin");
    own.getSpec().getAdmin().setUserPrefix(platformPrefix + teamA + ".");
    client.resource(own).create();
    client.resource(policy(tenant, "read", bucket)).create();
  }

  /** The user both stores derive: the tenant's y, and the platform's team-a/<tenant>.y. */
  private String sharedUser() {
    return platformPrefix + teamA + "." + tenant + ".y";
  }

  private String expectedMessage() {
    return "MinIO user \""
        + sharedUser()
        + "\", the name this integration gets on S3Store/"
        + tenant
        + "/own, can also be derived by another store on the same endpoint for a namespace it"
        + " serves, so two integrations could claim one user; nothing is created or changed."
        + " Give S3Store/"
        + tenant
        + "/own an admin.userPrefix that neither starts with another store's prefix on this"
        + " endpoint nor is the start of one";
  }

  @Test
  void theNewerStoresIntegrationIsRefusedAndTheOldersWorks() throws Exception {
    namespace(teamA, Map.of("team", team));
    client.resource(policy(teamA, "read", bucket)).create();
    client.resource(managed(teamA, "viz", platform, "read")).create();
    op.awaitReady(teamA, "viz", "True", "Ready");

    tenantStore();
    client.resource(managed(tenant, "y", "own", "read")).create();

    op.awaitReady(tenant, "y", "False", "UserNameOverlap");
    assertThat(op.condition(tenant, "y", "Ready").orElseThrow().getMessage())
        .isEqualTo(expectedMessage())
        .doesNotContain(platform.getName())
        .doesNotContain(teamA + "\"");
    assertThat(minio.rootAdmin().listUsers()).doesNotContainKey(sharedUser());
    assertThat(op.minioAdmin.count("user", sharedUser())).as("not even read").isZero();
    assertThat(op.minioAdmin.writes(sharedUser())).isZero();
    assertThat(op.secret(tenant, "y-s3")).isNull();

    op.awaitReady(teamA, "viz", "True", "Ready");
    assertThat(minio.rootAdmin().listUsers()).containsKey(platformPrefix + teamA + ".viz");
  }

  @Test
  void aNamespaceServedLaterRefusesTheNewerStoresIntegrationAndTakesNothingAway() throws Exception {
    namespace(teamA, Map.of()); // the platform's store does not serve it yet
    tenantStore();
    client.resource(managed(tenant, "y", "own", "read")).create();
    op.awaitReady(tenant, "y", "True", "Ready");
    assertThat(minio.rootAdmin().listUsers()).containsKey(sharedUser());
    Map<String, String> keys = new HashMap<>(op.secret(tenant, "y-s3").getData());
    int writes = op.minioAdmin.writes(sharedUser());

    label(teamA, Map.of("team", team)); // now it does: team-a/<tenant>.y would get the same user
    op.awaitReady(tenant, "y", "False", "UserNameOverlap");
    assertThat(op.condition(tenant, "y", "Ready").orElseThrow().getMessage())
        .isEqualTo(expectedMessage());
    // its user is kept and nothing written, for longer than a pass of the revocation sweep (5 s)
    await()
        .during(Duration.ofSeconds(7))
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                minio.rootAdmin().listUsers().containsKey(sharedUser())
                    && op.minioAdmin.writes(sharedUser()) == writes);
    Secret secret = op.secret(tenant, "y-s3");
    assertThat(secret.getData()).as("its keys are kept").isEqualTo(keys);
    assertThat(op.condition(tenant, "y", "Ready").orElseThrow().getReason())
        .isEqualTo("UserNameOverlap");

    label(teamA, Map.of()); // and no longer: the tenant's integration works again
    op.awaitReady(tenant, "y", "True", "Ready");
  }

  private void label(String ns, Map<String, String> labels) {
    client
        .namespaces()
        .withName(ns)
        .edit(
            n -> {
              n.getMetadata().setLabels(labels);
              return n;
            });
  }
}
