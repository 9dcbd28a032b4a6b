package dev.integrations.s3.helm;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.allow;
import static dev.integrations.s3.testing.Fixtures.clusterStore;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.CredentialsSpec;
import dev.integrations.s3.api.v1alpha1.ManagedCredentials;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import dev.integrations.s3.ownership.OwnershipRecordSecret;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.testing.Endpoints;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import dev.integrations.s3.verify.AccessProber;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.admin.MinioAdminClient;
import io.minio.admin.UserInfo;
import io.minio.errors.ErrorResponseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trust model on a real API server (RBAC on, the chart's aggregated roles reaching the built-in
 * edit role through kube-controller-manager) and a real MinIO: a tenant with only {@code edit} in
 * its namespace reaches Ready on the platform's ClusterS3Store but cannot read its admin keys,
 * create a store or be granted a bucket the platform did not allow; nothing a tenant can write
 * makes the operator touch a user that is not its integration's; narrowing a rule withdraws access;
 * deleting a tenant namespace finishes and cleans up; a store in use is kept.
 */
class TenantIsolationE2E {
  static KubernetesClient admin;
  static KubernetesClient alice;
  static OperatorHarness op;
  static MinioServer minio;
  static MinioAdminClient rootAdmin;
  static String team;
  static String store;
  static String prefix;

  @BeforeAll
  static void platform() throws IOException {
    HelmChartE2E.helm = HelmChartE2E.install();
    HelmChartE2E.helmHome = Files.createDirectories(HelmChartE2E.ROOT.resolve("target/helm-home"));
    KubeApiServer kube = KubeApiServer.shared();
    admin = kube.client();
    minio = MinioServer.shared();
    rootAdmin = minio.rootAdmin();
    op = new OperatorHarness(admin, true);

    // The chart's tenant roles; kube-controller-manager aggregates them into edit and view.
    for (HasMetadata o : HelmChartE2E.all(HelmChartE2E.template(), ClusterRole.class)) {
      if (o.getMetadata().getName().endsWith("-edit")
          || o.getMetadata().getName().endsWith("-view")) {
        admin.resource(o).forceConflicts().serverSideApply();
      }
    }
    String suffix = MinioServer.randomSuffix();
    team = "team-" + suffix;
    prefix = "t" + suffix;
    store = "shared-" + suffix;
    Fixtures.createClusterStore(
        admin,
        Fixtures.OPERATOR_NAMESPACE,
        store,
        minio,
        allow(Map.of("team", team), prefix + "-*"),
        s -> s.getSpec().getAdmin().setUserPrefix("k8s."));

    Config config = Config.fromKubeconfig(kube.kubeConfigYaml());
    config.setImpersonateUsername("alice");
    config.setImpersonateGroups("system:authenticated");
    alice = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  static void stop() {
    if (alice != null) {
      alice.close();
    }
    if (op != null) {
      op.close();
    }
  }

  /** A namespace of the team, where alice has the built-in edit role and nothing else. */
  static String tenantNamespace() {
    String ns = KubeApiServer.shared().createNamespace("tenant");
    admin
        .namespaces()
        .withName(ns)
        .edit(
            n -> {
              n.getMetadata().setLabels(Map.of("team", team));
              return n;
            });
    admin
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("alice-edit")
                .withNamespace(ns)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "edit")
                .addNewSubject()
                .withKind("User")
                .withName("alice")
                .withApiGroup("rbac.authorization.k8s.io")
                .endSubject()
                .build())
        .create();
    // Aggregation is asynchronous: wait until edit carries the chart's rules.
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              alice.resources(S3AccessPolicy.class).inNamespace(ns).list();
              return true;
            });
    return ns;
  }

  static S3Integration onStore(String ns, String name, String... policies) {
    return managed(ns, name, new StoreRef(StoreKind.ClusterS3Store, store), policies);
  }

  static String user(String ns, String name) {
    return "k8s." + ns + "." + name;
  }

  static MinioClient issued(String ns, String secret) {
    return minio.s3(
        op.secretValue(ns, secret, "AWS_ACCESS_KEY_ID"),
        op.secretValue(ns, secret, "AWS_SECRET_ACCESS_KEY"));
  }

  static boolean lists(MinioClient c, String bucket) {
    try {
      c.listObjects(ListObjectsArgs.builder().bucket(bucket).maxKeys(1).build())
          .iterator()
          .next()
          .get();
      return true;
    } catch (ErrorResponseException e) {
      return false;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void assertForbidden(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
  }

  @Test
  void aTenantWithEditReachesReadyButNeverTouchesTheAdminKeysOrTheStores() throws Exception {
    String ns = tenantNamespace();
    String bucket = prefix + "-ok";
    object(minio.rootS3(), bucket, "a.txt", "a");
    alice.resource(policy(ns, "read", bucket)).create();
    alice.resource(onStore(ns, "viz", "read")).create();

    S3Integration ready = op.awaitReady(ns, "viz", "True", "Ready");
    assertThat(ready.getStatus().getUserName()).isEqualTo(user(ns, "viz"));
    assertThat(ready.getStatus().getStore()).isEqualTo("ClusterS3Store/" + store);
    // The consumer's Secret is alice's to read, and its keys list the bucket.
    Secret secret = alice.secrets().inNamespace(ns).withName("viz-s3").get();
    assertThat(secret).isNotNull();
    assertThat(lists(issued(ns, "viz-s3"), bucket)).isTrue();

    // The admin keys, the records and the stores are not alice's.
    assertForbidden(
        () ->
            alice
                .secrets()
                .inNamespace(Fixtures.OPERATOR_NAMESPACE)
                .withName(store + "-admin")
                .get());
    assertForbidden(() -> alice.secrets().inNamespace(Fixtures.OPERATOR_NAMESPACE).list());
    assertForbidden(
        () ->
            alice
                .resource(clusterStore("mine", minio.host(), minio.port(), store + "-admin"))
                .create());
    assertForbidden(
        () ->
            alice
                .resources(ClusterS3Store.class)
                .withName(store)
                .edit(
                    s -> {
                      s.getSpec().setAllow(List.of(allow(Map.of(), "*")));
                      return s;
                    }));
  }

  @Test
  void aBucketOutsideTheRuleEndsBucketNotAllowedWithNothingOnMinio() throws Exception {
    String ns = tenantNamespace();
    String bucket = "outside-" + MinioServer.randomSuffix();
    object(minio.rootS3(), bucket, "secret.txt", "not yours");
    alice.resource(policy(ns, "read", bucket)).create();
    alice.resource(onStore(ns, "viz", "read")).create();

    op.awaitReady(ns, "viz", "False", "BucketNotAllowed");
    assertThat(op.condition(ns, "viz", "PolicyApplied").orElseThrow().getMessage())
        .contains("bucket \"" + bucket + "\"")
        .contains(store);
    assertThat(rootAdmin.listUsers()).doesNotContainKey(user(ns, "viz"));
    assertThat(rootAdmin.listCannedPolicies()).doesNotContainKey("s3i-" + user(ns, "viz"));
    assertThat(op.minioAdmin.count("user", user(ns, "viz"))).as("not even read").isZero();
    assertThat(op.secret(ns, "viz-s3")).isNull();
  }

  @Test
  void narrowingTheRuleWithdrawsReadAccessAtTheNextReconcile() throws Exception {
    String ns = tenantNamespace();
    String kept = prefix + "-kept";
    String dropped = prefix + "-dropped";
    object(minio.rootS3(), kept, "a.txt", "a");
    object(minio.rootS3(), dropped, "b.txt", "b");
    S3AccessPolicy both = policy(ns, "read", kept);
    both.getSpec()
        .setBuckets(
            List.of(
                new dev.integrations.s3.api.v1alpha1.BucketAccess(kept, null),
                new dev.integrations.s3.api.v1alpha1.BucketAccess(dropped, null)));
    alice.resource(both).create();
    alice.resource(onStore(ns, "viz", "read")).create();
    op.awaitReady(ns, "viz", "True", "Ready");
    MinioClient keys = issued(ns, "viz-s3");
    assertThat(lists(keys, dropped)).isTrue();

    // The platform narrows its rule for this team to one bucket.
    ClusterS3Store s = admin.resources(ClusterS3Store.class).withName(store).get();
    s.getSpec().setAllow(List.of(allow(Map.of("team", team), prefix + "-k*")));
    admin.resource(s).update();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> !lists(keys, dropped));
      op.awaitReady(ns, "viz", "False", "BucketNotAllowed");
      assertThat(lists(keys, kept)).as("what is still allowed stays readable").isTrue();
      String document = rootAdmin.listCannedPolicies().get("s3i-" + user(ns, "viz"));
      assertThat(document).contains(kept).doesNotContain(dropped);
    } finally {
      ClusterS3Store restored = admin.resources(ClusterS3Store.class).withName(store).get();
      restored.getSpec().setAllow(List.of(allow(Map.of("team", team), prefix + "-*")));
      admin.resource(restored).update();
    }
    op.awaitReady(ns, "viz", "True", "Ready");
    assertThat(lists(keys, dropped)).isTrue();
  }

  /** Every way a tenant (or an accident) could point the operator at a user that is not its own. */
  @Test
  void nothingATenantWritesMakesTheOperatorTouchAForeignUser() throws Exception {
    String ns = tenantNamespace();
    String bucket = prefix + "-victim";
    object(minio.rootS3(), bucket, "a.txt", "a");
    // Someone else's user on the same storage, with its own key and policy.
    String victim = "victim-" + MinioServer.randomSuffix();
    String victimKey = "victim-key-" + MinioServer.randomAlnum(24);
    String victimPolicy = "s3i-" + victim;
    String victimDocument =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::"
            + bucket
            + "\",\"arn:aws:s3:::"
            + bucket
            + "/*\"]}]}";
    rootAdmin.addUser(victim, UserInfo.Status.ENABLED, victimKey, null, null);
    rootAdmin.addCannedPolicy(victimPolicy, victimDocument);
    rootAdmin.setPolicy(victim, false, victimPolicy);

    alice.resource(policy(ns, "read", bucket)).create();
    alice.resource(onStore(ns, "viz", "read")).create();
    op.awaitReady(ns, "viz", "True", "Ready");
    String ourKey = op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY");

    // 1. Forged output Secret: the victim's name and a key of the tenant's choosing.
    String chosen = "chosen-" + MinioServer.randomAlnum(24);
    alice
        .secrets()
        .inNamespace(ns)
        .withName("viz-s3")
        .edit(
            s -> {
              Map<String, String> data = new HashMap<>(s.getData());
              data.put("AWS_ACCESS_KEY_ID", b64(victim));
              data.put("AWS_SECRET_ACCESS_KEY", b64(chosen));
              s.setData(data);
              Map<String, String> a =
                  new HashMap<>(
                      s.getMetadata().getAnnotations() == null
                          ? Map.of()
                          : s.getMetadata().getAnnotations());
              a.put("s3.integrations.dev/user", victim);
              a.put("s3.integrations.dev/policy", victimPolicy);
              s.getMetadata().setAnnotations(a);
              return s;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> user(ns, "viz").equals(op.secretValue(ns, "viz-s3", "AWS_ACCESS_KEY_ID")));
    assertThat(op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY")).isEqualTo(ourKey);

    // 2. Claims in status (only an admin can write status; still not evidence).
    S3Integration claimed =
        admin.resources(S3Integration.class).inNamespace(ns).withName("viz").get();
    claimed.getStatus().setUserName(victim);
    claimed.getStatus().setPolicyName(victimPolicy);
    admin.resource(claimed).updateStatus();

    // 3. A validate-only integration holding the victim's keys, switched to managed mode.
    alice.resource(adminSecret(ns, "victims-keys", victim, victimKey)).create();
    S3Integration borrowed = Fixtures.validateOnly(ns, "borrowed", store, "victims-keys", bucket);
    borrowed.getSpec().setStoreRef(new StoreRef(StoreKind.ClusterS3Store, store));
    alice.resource(borrowed).create();
    S3Integration validated = op.awaitReady(ns, "borrowed", "True", "Ready");
    assertThat(validated.getStatus().getAccessKeyId()).isEqualTo(victim);
    assertThat(validated.getStatus().getUserName()).isNull();
    alice
        .resources(S3Integration.class)
        .inNamespace(ns)
        .withName("borrowed")
        .edit(
            i -> {
              CredentialsSpec c = new CredentialsSpec();
              c.setManaged(new ManagedCredentials());
              i.getSpec().setCredentials(c);
              i.getSpec()
                  .setAccessPolicyRefs(
                      List.of(new dev.integrations.s3.api.v1alpha1.PolicyRef("read")));
              return i;
            });
    op.awaitReady(ns, "borrowed", "True", "Ready");
    assertThat(op.integration(ns, "borrowed").getStatus().getUserName())
        .isEqualTo(user(ns, "borrowed"));

    // 4. A user someone created under the name the operator would derive (in a second namespace
    // of the team, so that no scope rule stands in the way).
    String ns2 = tenantNamespace();
    rootAdmin.addUser(user(ns2, "taken"), UserInfo.Status.ENABLED, victimKey, null, null);
    alice.resource(policy(ns2, "read", bucket)).create();
    alice.resource(onStore(ns2, "taken", "read")).create();
    op.awaitReady(ns2, "taken", "False", "UserConflict");
    alice.resources(S3Integration.class).inNamespace(ns2).withName("taken").delete();

    // Deleting all of them leaves every foreign user and policy as it was.
    for (String name : List.of("viz", "borrowed")) {
      alice.resources(S3Integration.class).inNamespace(ns).withName(name).delete();
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> admin.resources(S3Integration.class).inNamespace(ns).list().getItems().isEmpty());
    assertThat(read(minio.s3(victim, victimKey), bucket, "a.txt"))
        .as("the victim's own key still works")
        .isEqualTo("a");
    assertThat(rootAdmin.getUserInfo(victim).policyName()).isEqualTo(victimPolicy);
    assertThat(
            PolicyDocument.equivalent(
                rootAdmin.listCannedPolicies().get(victimPolicy), victimDocument))
        .isTrue();
    assertThat(rootAdmin.getUserInfo(user(ns2, "taken")).status())
        .isEqualTo(UserInfo.Status.ENABLED);
    assertThat(rootAdmin.getUserInfo(user(ns2, "taken")).policyName()).isNullOrEmpty();
    new AccessProber()
        .authenticate(
            Endpoints.of(minio.host(), minio.port(), false, "us-east-1"),
            user(ns2, "taken"),
            victimKey); // the pre-existing user keeps its key: no exception
    assertThat(readOrNull(minio.s3(victim, chosen), bucket, "a.txt"))
        .as("the tenant's chosen key never reached the victim")
        .isNull();
    assertThat(rootAdmin.listUsers()).doesNotContainKeys(user(ns, "viz"), user(ns, "borrowed"));
  }

  @Test
  void deletingATenantNamespaceFinishesAndRemovesItsUsersAndPolicies() throws Exception {
    String ns = tenantNamespace();
    String bucket = prefix + "-nsdel";
    object(minio.rootS3(), bucket, "a.txt", "a");
    alice.resource(policy(ns, "read", bucket)).create();
    alice.resource(onStore(ns, "viz", "read")).create();
    op.awaitReady(ns, "viz", "True", "Ready");
    assertThat(rootAdmin.listUsers()).containsKey(user(ns, "viz"));

    admin.namespaces().withName(ns).delete();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> admin.namespaces().withName(ns).get() == null);
    assertThat(rootAdmin.listUsers()).doesNotContainKey(user(ns, "viz"));
    assertThat(rootAdmin.listCannedPolicies()).doesNotContainKey("s3i-" + user(ns, "viz"));
    assertThat(
            admin
                .secrets()
                .inNamespace(Fixtures.OPERATOR_NAMESPACE)
                .withLabel(OwnershipRecordSecret.LABEL)
                .list()
                .getItems())
        .noneSatisfy(
            r ->
                assertThat(r.getMetadata().getAnnotations())
                    .containsEntry(OwnershipRecordSecret.USER_ANNOTATION, user(ns, "viz")));
  }

  @Test
  void aStoreInUseIsKeptUntilItsIntegrationsAreGone() throws Exception {
    String ns = tenantNamespace();
    String bucket = prefix + "-keep";
    object(minio.rootS3(), bucket, "a.txt", "a");
    String other = "other-" + MinioServer.randomSuffix();
    ClusterS3Store s =
        clusterStore(
            other,
            minio.host(),
            minio.port(),
            store + "-admin",
            allow(Map.of("team", team), prefix + "-*"));
    admin.resource(s).create();
    alice.resource(policy(ns, "read", bucket)).create();
    alice
        .resource(managed(ns, "viz", new StoreRef(StoreKind.ClusterS3Store, other), "read"))
        .create();
    op.awaitReady(ns, "viz", "True", "Ready");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              ClusterS3Store c = admin.resources(ClusterS3Store.class).withName(other).get();
              return c.getStatus() != null
                  && Integer.valueOf(1).equals(c.getStatus().getIntegrations());
            });

    Fixtures.deleteAndSeeItKeptInUse(admin, other);
    // The integration keeps working while its store waits.
    op.awaitReady(ns, "viz", "True", "Ready");

    alice.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> admin.resources(ClusterS3Store.class).withName(other).get() == null);
    assertThat(rootAdmin.listUsers()).doesNotContainKey(user(ns, "viz"));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String read(MinioClient c, String bucket, String key) throws Exception {
    try (var in =
        c.getObject(io.minio.GetObjectArgs.builder().bucket(bucket).object(key).build())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String readOrNull(MinioClient c, String bucket, String key) {
    try {
      return read(c, bucket, key);
    } catch (Exception e) {
      return null;
    }
  }
}
