package dev.integrations.s3.helm;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.allow;
import static dev.integrations.s3.testing.Fixtures.clusterStore;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.OperatorFactory;
import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.controller.integration.dependent.OutputSecretContent;
import dev.integrations.s3.ownership.OwnershipRecordSecret;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.storage.minio.MinioAdminClientAdapter;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart on the real API server (which authorizes with RBAC). Its RBAC is enough, and no more:
 * the operator, with leader election as two replicas run it, serves the platform case (a
 * ClusterS3Store whose admin Secret is in the operator's namespace, a tenant namespace its rule
 * allows) while impersonating the chart's ServiceAccount with exactly the rendered roles and
 * bindings and the chart's ValidatingAdmissionPolicies applied (which refuse its token's writes to
 * anything it does not manage, where RBAC alone would allow them); values-namespaced.yaml,
 * installed with {@code helm install}, serves its namespace and reads no other's Secrets; and
 * tenants bound to the built-in edit and view roles get the chart's aggregated rules (through
 * kube-controller-manager's aggregation controller).
 */
class ChartRbacE2E {

  @BeforeAll
  static void installHelm() throws IOException {
    HelmChartE2E.helm = HelmChartE2E.install();
    HelmChartE2E.helmHome = Files.createDirectories(HelmChartE2E.ROOT.resolve("target/helm-home"));
  }

  @Test
  void operatorWorksWithExactlyTheChartsPermissions() throws Exception {
    KubeApiServer kube = KubeApiServer.shared();
    KubernetesClient admin = kube.client();
    MinioServer minio = MinioServer.shared();
    kube.createNamespaceNamed(HelmChartE2E.NAMESPACE);
    List<HasMetadata> rendered = HelmChartE2E.template("--set", "replicaCount=2");
    for (Class<? extends HasMetadata> type :
        List.of(
            ServiceAccount.class,
            ClusterRole.class,
            ClusterRoleBinding.class,
            Role.class,
            RoleBinding.class,
            ValidatingAdmissionPolicy.class,
            ValidatingAdmissionPolicyBinding.class)) {
      for (HasMetadata o : HelmChartE2E.all(rendered, type)) {
        admin.resource(o).forceConflicts().serverSideApply();
      }
    }
    String serviceAccount =
        HelmChartE2E.one(rendered, ServiceAccount.class).getMetadata().getName();
    assertPoliciesTypeCheckClean(admin, rendered);

    Config config = Config.fromKubeconfig(kube.kubeConfigYaml());
    config.setImpersonateUsername(
        "system:serviceaccount:" + HelmChartE2E.NAMESPACE + ":" + serviceAccount);
    config.setImpersonateGroups(
        "system:serviceaccounts", "system:serviceaccounts:" + HelmChartE2E.NAMESPACE);
    try (KubernetesClient asOperator = new KubernetesClientBuilder().withConfig(config).build()) {
      // The chart's admission policies are in force for the operator's token from here on.
      awaitPolicyInForce(asOperator);
      String ns = kube.createNamespace("rbac");
      admin
          .namespaces()
          .withName(ns)
          .edit(
              n -> {
                n.getMetadata().setLabels(Map.of("team", "rbac-it"));
                return n;
              });
      String store = "rbac-" + MinioServer.randomSuffix();
      Fixtures.createClusterStore(
          admin,
          HelmChartE2E.NAMESPACE,
          store,
          minio,
          allow(Map.of("team", "rbac-it"), "rbac-*"),
          s -> {});
      // Least privilege, checked by the server: the operator may not delete a tenant's Secrets.
      admin.resource(adminSecret(ns, "someones", "a", "b")).create();
      assertThatThrownBy(() -> asOperator.secrets().inNamespace(ns).withName("someones").delete())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));

      OperatorConfig operatorConfig =
          OperatorConfig.fromEnv(
              Map.of(
                  OperatorConfig.LEADER_ELECTION, "true",
                  OperatorConfig.LEADER_ELECTION_NAMESPACE, HelmChartE2E.NAMESPACE,
                  OperatorConfig.LEADER_ELECTION_LEASE_DURATION, "6s",
                  OperatorConfig.LEADER_ELECTION_IDENTITY, "rbac-it",
                  OperatorConfig.OPERATOR_NAMESPACE, HelmChartE2E.NAMESPACE));
      Operator operator =
          OperatorFactory.create(
              asOperator,
              operatorConfig,
              new SimpleMeterRegistry(),
              Clock.systemUTC(),
              MinioAdminClientAdapter::connect,
              true);
      operator.start();
      try {
        String bucket = "rbac-" + MinioServer.randomSuffix(); // allowed: rbac-*
        object(minio.rootS3(), bucket, "a.txt", "a");
        admin.resource(policy(ns, "read", bucket)).create();
        admin
            .resource(managed(ns, "viz", new StoreRef(StoreKind.ClusterS3Store, store), "read"))
            .create();

        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  S3Integration i =
                      admin.resources(S3Integration.class).inNamespace(ns).withName("viz").get();
                  return i.getStatus() != null
                      && i.getStatus().getConditions().stream()
                          .anyMatch(
                              c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
                });
        assertThat(admin.secrets().inNamespace(ns).withName("viz-s3").get()).isNotNull();
        // The ownership record, in the operator's namespace.
        assertThat(
                admin
                    .secrets()
                    .inNamespace(HelmChartE2E.NAMESPACE)
                    .withLabel(OwnershipRecordSecret.LABEL)
                    .list()
                    .getItems())
            .anySatisfy(
                r ->
                    assertThat(r.getMetadata().getAnnotations())
                        .containsEntry(OwnershipRecordSecret.USER_ANNOTATION, ns + ".viz"));

        // Leadership holds beyond several lease durations: renewals are allowed (they PATCH).
        Instant acquiredBy = Instant.now();
        await()
            .pollDelay(Duration.ofSeconds(13))
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () -> {
                  Lease lease =
                      admin
                          .resources(Lease.class)
                          .inNamespace(HelmChartE2E.NAMESPACE)
                          .withName(OperatorFactory.LEASE_NAME)
                          .get();
                  assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("rbac-it");
                  assertThat(lease.getSpec().getRenewTime().toInstant())
                      .as("last renewal of the lease")
                      .isAfter(acquiredBy.plusSeconds(8));
                });
        assertThat(admin.v1().events().inNamespace(ns).list().getItems())
            .as("Events the operator recorded")
            .isNotEmpty();

        // Under the admission policy, the operator still restores its Secret after a tenant
        // stripped its labels (the old object then has only the owner reference) ...
        admin
            .secrets()
            .inNamespace(ns)
            .withName("viz-s3")
            .edit(
                s -> {
                  s.getMetadata().setLabels(Map.of("tenant", "stripped"));
                  return s;
                });
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () ->
                    assertThat(
                            admin
                                .secrets()
                                .inNamespace(ns)
                                .withName("viz-s3")
                                .get()
                                .getMetadata()
                                .getLabels())
                        .as("labels of viz-s3 after the tenant removed the operator's")
                        .containsEntry(
                            ResolvedConfigSecret.MANAGED_BY_LABEL,
                            ResolvedConfigSecret.MANAGED_BY));
        // ... and retires it (emptied, unlabelled) when spec.secretName moves to another Secret.
        admin
            .resources(S3Integration.class)
            .inNamespace(ns)
            .withName("viz")
            .edit(
                i -> {
                  i.getSpec().setSecretName("viz-renamed");
                  return i;
                });
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  Secret old = admin.secrets().inNamespace(ns).withName("viz-s3").get();
                  assertThat(old.getData()).as("data of the superseded viz-s3").isNullOrEmpty();
                  assertThat(old.getMetadata().getLabels())
                      .doesNotContainKey(ResolvedConfigSecret.MANAGED_BY_LABEL);
                  assertThat(old.getMetadata().getAnnotations())
                      .containsEntry(ResolvedConfigSecret.SUPERSEDED_BY_ANNOTATION, "viz-renamed");
                  assertThat(admin.secrets().inNamespace(ns).withName("viz-renamed").get())
                      .isNotNull();
                });
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> ready(admin.resources(S3Integration.class), ns, "viz"));

        deleteAndAwaitCleanup(admin, minio, ns);
        assertThat(
                admin
                    .secrets()
                    .inNamespace(HelmChartE2E.NAMESPACE)
                    .withLabel(OwnershipRecordSecret.LABEL)
                    .list()
                    .getItems())
            .noneSatisfy(
                r ->
                    assertThat(r.getMetadata().getAnnotations())
                        .containsEntry(OwnershipRecordSecret.USER_ANNOTATION, ns + ".viz"));
        admin.resources(ClusterS3Store.class).withName(store).delete();
      } finally {
        OperatorFactory.SHUTTING_DOWN.set(true);
        try {
          operator.stop();
        } finally {
          OperatorFactory.SHUTTING_DOWN.set(false);
        }
      }
    }
  }

  /**
   * Issue 21, item 7. RBAC cannot select Secrets by label, so in cluster mode the chart's roles
   * alone let the operator's token write any Secret and delete any ConfigMap in the cluster ({@code
   * kubectl auth can-i} says yes for kube-system). The chart's ValidatingAdmissionPolicies are what
   * narrows it: as the operator's ServiceAccount, real writes to kube-system, to a tenant's own
   * Secrets and ConfigMaps, and of a service-account token Secret are refused by the API server
   * with the policy's message, while the operator's own writes (an output Secret owned by an
   * S3Integration, its trust-store ConfigMap, an ownership record) go through.
   */
  @Test
  void admissionPolicyLimitsTheOperatorsTokenToItsOwnSecretsAndConfigMaps() throws Exception {
    KubeApiServer kube = KubeApiServer.shared();
    KubernetesClient admin = kube.client();
    kube.createNamespaceNamed(HelmChartE2E.NAMESPACE);
    List<HasMetadata> rendered = HelmChartE2E.template();
    for (Class<? extends HasMetadata> type :
        List.of(
            ServiceAccount.class,
            ClusterRole.class,
            ClusterRoleBinding.class,
            Role.class,
            RoleBinding.class,
            ValidatingAdmissionPolicy.class,
            ValidatingAdmissionPolicyBinding.class)) {
      for (HasMetadata o : HelmChartE2E.all(rendered, type)) {
        admin.resource(o).forceConflicts().serverSideApply();
      }
    }
    assertPoliciesTypeCheckClean(admin, rendered);
    String user =
        "system:serviceaccount:"
            + HelmChartE2E.NAMESPACE
            + ":"
            + HelmChartE2E.one(rendered, ServiceAccount.class).getMetadata().getName();

    // RBAC alone still says yes: it cannot express labels or owners.
    for (String verb : List.of("create", "update", "patch")) {
      assertThat(canI(user, verb, "secrets", "kube-system"))
          .as("kubectl auth can-i %s secrets -n kube-system --as %s", verb, user)
          .isEqualTo("yes");
    }
    assertThat(canI(user, "delete", "configmaps", "kube-system")).isEqualTo("yes");

    String suffix = MinioServer.randomSuffix();
    String tenant = kube.createNamespace("vap");
    Secret systemSecret = adminSecret("kube-system", "victim-" + suffix, "a", "b");
    ConfigMap systemConfigMap = configMap("kube-system", "coredns-" + suffix, Map.of());
    admin.resource(systemSecret).create();
    admin.resource(systemConfigMap).create();
    try (KubernetesClient asOperator = as(kube, user, HelmChartE2E.NAMESPACE)) {
      awaitPolicyInForce(asOperator);

      // What an integration's status says when the policy refuses a write of the operator's: the
      // API server's refusal, read by the operator, names the policy and its binding, never the
      // policy's message (a third party's could quote the Secret).
      KubernetesClientException refusal =
          catchThrowableOfType(
              () ->
                  asOperator
                      .resource(ours(adminSecret("kube-system", "policy-probe", "a", "b")))
                      .dryRun()
                      .create(),
              KubernetesClientException.class);
      assertThat(OutputSecretContent.refused("policy-probe", refusal).getMessage())
          .contains("HTTP 403")
          .containsPattern(
              "\\(denied by ValidatingAdmissionPolicy "
                  + HelmChartE2E.CLUSTER_NAME
                  + "-[a-z0-9.-]+, binding "
                  + HelmChartE2E.CLUSTER_NAME
                  + "-[a-z0-9.-]+\\)")
          .doesNotContain("may not write");

      // (a) kube-system: no write at all, not even of a Secret carrying the operator's labels.
      String system = "may not write secrets in namespace kube-system";
      assertDenied(
          () ->
              asOperator
                  .resource(ours(adminSecret("kube-system", "minted-" + suffix, "a", "b")))
                  .create(),
          system);
      assertDenied(
          () ->
              asOperator
                  .secrets()
                  .inNamespace("kube-system")
                  .withName(systemSecret.getMetadata().getName())
                  .edit(s -> ours(withData(s, "token", "forged"))),
          system);
      assertDenied(
          () ->
              asOperator
                  .configMaps()
                  .inNamespace("kube-system")
                  .withName(systemConfigMap.getMetadata().getName())
                  .edit(c -> withData(c, "Corefile", ". { forward . 203.0.113.1 }")),
          "may not write configmaps in namespace kube-system");
      assertDenied(
          () ->
              asOperator
                  .configMaps()
                  .inNamespace("kube-system")
                  .withName(systemConfigMap.getMetadata().getName())
                  .delete(),
          "may not write configmaps in namespace kube-system");
      assertThat(
              admin
                  .secrets()
                  .inNamespace("kube-system")
                  .withName(systemSecret.getMetadata().getName())
                  .get()
                  .getData())
          .as("the kube-system Secret after the attempts")
          .doesNotContainKey("token");
      assertThat(
              admin
                  .configMaps()
                  .inNamespace("kube-system")
                  .withName(systemConfigMap.getMetadata().getName())
                  .get())
          .as("the kube-system ConfigMap after the attempts")
          .isNotNull();
      assertThat(admin.secrets().inNamespace("kube-system").withName("minted-" + suffix).get())
          .isNull();

      // (b) a tenant's own Secret: not created, changed, taken over by labelling it, or deleted.
      admin.resource(adminSecret(tenant, "theirs", "a", "b")).create();
      assertDenied(
          () -> asOperator.resource(adminSecret(tenant, "planted", "a", "b")).create(),
          "may write only secrets labelled app.kubernetes.io/managed-by=s3-integration-operator");
      assertDenied(
          () ->
              asOperator
                  .secrets()
                  .inNamespace(tenant)
                  .withName("theirs")
                  .edit(s -> withData(s, "secretKey", "forged")),
          "may change or delete only secrets it manages");
      assertDenied(
          () ->
              asOperator
                  .secrets()
                  .inNamespace(tenant)
                  .withName("theirs")
                  .edit(s -> ours(withData(s, "secretKey", "forged"))),
          "may change or delete only secrets it manages");
      // delete: the chart's roles never granted it in tenant namespaces (RBAC's 403)
      assertForbidden(() -> asOperator.secrets().inNamespace(tenant).withName("theirs").delete());
      Secret theirs = admin.secrets().inNamespace(tenant).withName("theirs").get();
      assertThat(theirs.getMetadata().getLabels()).isNullOrEmpty();
      assertThat(decode(theirs, "secretKey")).isEqualTo("b");
      assertThat(admin.secrets().inNamespace(tenant).withName("planted").get()).isNull();
      // Nor a service-account token Secret, whatever labels it carries (no token to mint).
      assertDenied(
          () ->
              asOperator
                  .resource(
                      ours(
                          new SecretBuilder()
                              .withNewMetadata()
                              .withName("token-" + suffix)
                              .withNamespace(tenant)
                              .withAnnotations(
                                  Map.of("kubernetes.io/service-account.name", "default"))
                              .endMetadata()
                              .withType("kubernetes.io/service-account-token")
                              .build()))
                  .create(),
          "may write only Secrets of type Opaque");

      // (c) a tenant's ConfigMap: not created without the labels, changed or deleted.
      admin.resource(configMap(tenant, "settings", Map.of())).create();
      assertDenied(
          () -> asOperator.configMaps().inNamespace(tenant).withName("settings").delete(),
          "may change or delete only configmaps it manages");
      assertDenied(
          () ->
              asOperator
                  .configMaps()
                  .inNamespace(tenant)
                  .withName("settings")
                  .edit(c -> withData(c, "k", "forged")),
          "may change or delete only configmaps it manages");
      assertDenied(
          () -> asOperator.resource(configMap(tenant, "planted", Map.of())).create(),
          "may write only configmaps labelled");
      assertThat(admin.configMaps().inNamespace(tenant).withName("settings").get().getData())
          .doesNotContainKey("k");

      // The operator's namespace: the platform's admin Secret there is not its to change.
      String adminName = "store-admin-" + suffix;
      admin.resource(adminSecret(HelmChartE2E.NAMESPACE, adminName, "root", "rootpw")).create();
      try {
        assertDenied(
            () ->
                asOperator
                    .secrets()
                    .inNamespace(HelmChartE2E.NAMESPACE)
                    .withName(adminName)
                    .edit(s -> withData(s, "secretKey", "forged")),
            "may change or delete only secrets it manages");
        assertDenied(
            () ->
                asOperator
                    .secrets()
                    .inNamespace(HelmChartE2E.NAMESPACE)
                    .withName(adminName)
                    .delete(),
            "may change or delete only secrets it manages");
      } finally {
        admin.secrets().inNamespace(HelmChartE2E.NAMESPACE).withName(adminName).delete();
      }

      // (d) What the operator writes goes through: the output Secret (labels and a controller
      // reference to its S3Integration), created, updated, retired (no labels, the owner kept),
      // restored after a tenant stripped its labels; the trust-store ConfigMap, created and
      // deleted; an ownership record in its namespace, created, updated and deleted.
      S3Integration owner =
          admin
              .resource(
                  managed(tenant, "viz", new StoreRef(StoreKind.ClusterS3Store, "none"), "read"))
              .create();
      Secret output =
          asOperator
              .resource(owned(ours(adminSecret(tenant, "viz-s3", "AKIA", "s3cr3t")), owner))
              .create();
      assertThat(output.getMetadata().getUid()).isNotBlank();
      asOperator
          .secrets()
          .inNamespace(tenant)
          .withName("viz-s3")
          .edit(s -> withData(s, "AWS_REGION", "us-east-1"));
      asOperator
          .secrets()
          .inNamespace(tenant)
          .withName("viz-s3")
          .edit(
              s -> {
                s.setData(null);
                s.getMetadata().getLabels().remove(ResolvedConfigSecret.MANAGED_BY_LABEL);
                s.getMetadata().getLabels().remove(ResolvedConfigSecret.INTEGRATION_LABEL);
                s.getMetadata()
                    .setAnnotations(
                        Map.of(ResolvedConfigSecret.SUPERSEDED_BY_ANNOTATION, "viz-renamed"));
                return s;
              });
      asOperator
          .secrets()
          .inNamespace(tenant)
          .withName("viz-s3")
          .edit(s -> ours(withData(s, "AWS_REGION", "us-east-1")));
      assertThat(
              admin
                  .secrets()
                  .inNamespace(tenant)
                  .withName("viz-s3")
                  .get()
                  .getMetadata()
                  .getLabels())
          .containsEntry(ResolvedConfigSecret.MANAGED_BY_LABEL, ResolvedConfigSecret.MANAGED_BY);
      ConfigMap trustStore =
          asOperator
              .resource(
                  owned(ours(configMap(tenant, "viz-s3-truststore", Map.of("a", "b"))), owner))
              .create();
      asOperator.resource(trustStore).delete();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  admin.configMaps().inNamespace(tenant).withName("viz-s3-truststore").get()
                      == null);
      Secret record =
          new SecretBuilder(adminSecret(HelmChartE2E.NAMESPACE, "record-" + suffix, "u", "k"))
              .editMetadata()
              .withLabels(
                  Map.of(
                      OwnershipRecordSecret.LABEL,
                      OwnershipRecordSecret.VALUE,
                      OwnershipRecordSecret.MANAGED_BY_LABEL,
                      OwnershipRecordSecret.MANAGED_BY))
              .endMetadata()
              .build();
      asOperator.resource(record).create();
      asOperator
          .secrets()
          .inNamespace(HelmChartE2E.NAMESPACE)
          .withName("record-" + suffix)
          .edit(s -> withData(s, "secretKey", "rotated"));
      asOperator
          .secrets()
          .inNamespace(HelmChartE2E.NAMESPACE)
          .withName("record-" + suffix)
          .delete();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  admin
                          .secrets()
                          .inNamespace(HelmChartE2E.NAMESPACE)
                          .withName("record-" + suffix)
                          .get()
                      == null);
    } finally {
      admin.resource(systemSecret).delete();
      admin.resource(systemConfigMap).delete();
    }
  }

  /** The policies the chart rendered, as the API server type-checked them: no warnings. */
  static void assertPoliciesTypeCheckClean(KubernetesClient admin, List<HasMetadata> rendered) {
    List<ValidatingAdmissionPolicy> policies =
        HelmChartE2E.all(rendered, ValidatingAdmissionPolicy.class);
    assertThat(policies)
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder(
            HelmChartE2E.CLUSTER_NAME + "-secrets", HelmChartE2E.CLUSTER_NAME + "-configmaps");
    for (ValidatingAdmissionPolicy p : policies) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                ValidatingAdmissionPolicy live =
                    admin
                        .resources(ValidatingAdmissionPolicy.class)
                        .withName(p.getMetadata().getName())
                        .get();
                assertThat(live.getStatus()).isNotNull();
                assertThat(live.getStatus().getObservedGeneration())
                    .isEqualTo(live.getMetadata().getGeneration());
                assertThat(live.getStatus().getTypeChecking())
                    .as("status.typeChecking of %s", p.getMetadata().getName())
                    .isNotNull();
                assertThat(live.getStatus().getTypeChecking().getExpressionWarnings())
                    .as("type-check warnings of %s", p.getMetadata().getName())
                    .isNullOrEmpty();
              });
    }
  }

  /**
   * Waits until the API server enforces the policies (it loads them asynchronously): a dry-run
   * create of a labelled Secret in kube-system, which RBAC allows, is refused.
   */
  static void awaitPolicyInForce(KubernetesClient asOperator) {
    Secret probe = ours(adminSecret("kube-system", "policy-probe", "a", "b"));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertDenied(
                    () -> asOperator.resource(probe).dryRun().create(),
                    "may not write secrets in namespace kube-system"));
  }

  /** Refused by the chart's admission policy (403), with this part of its message. */
  static void assertDenied(Runnable call, String messagePart) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).as("HTTP status of %s", e.getMessage()).isEqualTo(403);
              assertThat(e.getStatus().getMessage())
                  .contains("ValidatingAdmissionPolicy '" + HelmChartE2E.CLUSTER_NAME + "-")
                  .contains(messagePart);
            });
  }

  /** {@code kubectl auth can-i <verb> <resource> -n <ns> --as <user>}: its answer, yes or no. */
  static String canI(String user, String verb, String resource, String ns)
      throws IOException, InterruptedException {
    KubeApiServer kube = KubeApiServer.shared();
    Process p =
        new ProcessBuilder(
                kube.kubectl().toString(),
                "--kubeconfig=" + kube.kubeConfigFile(),
                "--cache-dir=" + HelmChartE2E.ROOT.resolve("target/kubectl-cache-rbac"),
                "auth",
                "can-i",
                verb,
                resource,
                "-n",
                ns,
                "--as",
                user)
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl auth can-i did not finish in 60 s");
    }
    return out;
  }

  static <T extends HasMetadata> T ours(T o) {
    Map<String, String> labels =
        o.getMetadata().getLabels() == null
            ? new HashMap<>()
            : new HashMap<>(o.getMetadata().getLabels());
    labels.put(ResolvedConfigSecret.MANAGED_BY_LABEL, ResolvedConfigSecret.MANAGED_BY);
    labels.put(ResolvedConfigSecret.INTEGRATION_LABEL, "viz");
    o.getMetadata().setLabels(labels);
    return o;
  }

  static <T extends HasMetadata> T owned(T o, HasMetadata owner) {
    o.getMetadata().setOwnerReferences(List.of(ResolvedConfigSecret.ownerReference(owner)));
    return o;
  }

  static Secret withData(Secret s, String key, String value) {
    Map<String, String> data = s.getData() == null ? new HashMap<>() : new HashMap<>(s.getData());
    data.put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    s.setData(data);
    return s;
  }

  static ConfigMap withData(ConfigMap c, String key, String value) {
    Map<String, String> data = c.getData() == null ? new HashMap<>() : new HashMap<>(c.getData());
    data.put(key, value);
    c.setData(data);
    return c;
  }

  static String decode(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  static ConfigMap configMap(String ns, String name, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withData(data)
        .build();
  }

  static KubernetesClient as(KubeApiServer kube, String serviceAccountUser, String saNamespace) {
    Config config = Config.fromKubeconfig(kube.kubeConfigYaml());
    config.setImpersonateUsername(serviceAccountUser);
    config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + saNamespace);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Test
  void tenantsWithEditManageTheirKindsStoresOnlyWhenOptedInAndViewOnlyReads() {
    KubeApiServer kube = KubeApiServer.shared();
    KubernetesClient admin = kube.client();
    // The chart's tenant roles; kube-controller-manager aggregates them into edit and view.
    for (ClusterRole r : HelmChartE2E.all(HelmChartE2E.template(), ClusterRole.class)) {
      if (r.getMetadata().getName().endsWith("-edit")
          || r.getMetadata().getName().endsWith("-view")) {
        admin.resource(r).forceConflicts().serverSideApply();
      }
    }
    String ns = kube.createNamespace("agg");
    String elsewhere = kube.createNamespace("agg-other");
    bind(admin, ns, "bob", "edit");
    bind(admin, ns, "carol", "view");
    try (KubernetesClient bob = as(kube, "bob");
        KubernetesClient carol = as(kube, "carol")) {
      S3AccessPolicy policy = policy(ns, "read", "agg-bucket");
      S3Store store = store(ns, "own", "minio.example", 9000, "own-admin");
      S3Integration integration = managed(ns, "viz", "own", "read");
      // Aggregation is asynchronous: wait until edit carries the chart's rules.
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(() -> bob.resource(policy).dryRun().create());
      bob.resource(integration).dryRun().create();
      // S3Stores are an opt-in: a tenant's store names endpoints the operator's pod connects to
      assertForbidden(() -> bob.resource(store).dryRun().create());
      for (ClusterRole r :
          HelmChartE2E.all(
              HelmChartE2E.template("--set", "rbac.tenantStores=true"), ClusterRole.class)) {
        if (r.getMetadata().getName().endsWith("-edit-stores")) {
          admin.resource(r).forceConflicts().serverSideApply();
        }
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(() -> bob.resource(store).dryRun().create());
      assertThat(bob.resources(S3Integration.class).inNamespace(ns).list().getItems()).isEmpty();
      // ClusterS3Stores are the platform's; and edit in one namespace is nothing in another.
      assertForbidden(
          () -> bob.resource(clusterStore("bobs", "minio.example", 9000, "x")).dryRun().create());
      assertForbidden(() -> bob.resource(policy(elsewhere, "read", "agg-bucket")).create());

      // view reads, and nothing more.
      admin.resource(policy).create();
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  carol.resources(S3AccessPolicy.class).inNamespace(ns).withName("read").get()
                      != null);
      assertThat(carol.resources(S3Integration.class).inNamespace(ns).list().getItems()).isEmpty();
      assertThat(carol.resources(S3Store.class).inNamespace(ns).list().getItems()).isEmpty();
      assertForbidden(() -> carol.resource(store).dryRun().create());
      assertForbidden(() -> carol.resource(integration).dryRun().create());
      assertForbidden(
          () -> carol.resources(S3AccessPolicy.class).inNamespace(ns).withName("read").delete());
      assertForbidden(
          () ->
              carol
                  .resources(S3AccessPolicy.class)
                  .inNamespace(ns)
                  .withName("read")
                  .edit(
                      p -> {
                        p.getSpec().setActions(List.of("s3:GetObject"));
                        return p;
                      }));
    }
  }

  /**
   * values-namespaced.yaml, installed with the real Helm CLI into the API server: the operator,
   * running under the installed ServiceAccount and watching one namespace, brings an integration on
   * its namespace's own S3Store to Ready and deletes it cleanly, while it can read no Secret
   * outside the namespaces it serves and its own.
   */
  @Test
  void namespacedValuesInstalledWithHelmServeTheirNamespaceAndNoOther() throws Exception {
    KubeApiServer kube = KubeApiServer.shared();
    KubernetesClient admin = kube.client();
    MinioServer minio = MinioServer.shared();
    String operatorNs = kube.createNamespace("s3op");
    String tenant = kube.createNamespace("team");
    String other = kube.createNamespace("other");
    String release = "s3io";
    HelmChartE2E.Result install =
        HelmChartE2E.helm(
            "install",
            release,
            HelmChartE2E.CHART.toString(),
            "--namespace",
            operatorNs,
            "--kubeconfig",
            kube.kubeConfigFile().toString(),
            "--skip-crds",
            "-f",
            HelmChartE2E.CHART.resolve("values-namespaced.yaml").toString(),
            "--set",
            "watchNamespaces={" + tenant + "}",
            // Accepted by the API server too (this one enforces no NetworkPolicy).
            "--set",
            "networkPolicy.enabled=true",
            "--set",
            "networkPolicy.egress.apiServer.cidrs={127.0.0.1/32}",
            "--set-json",
            "networkPolicy.egress.storage=[{\"cidrs\":[\"127.0.0.1/32\"],\"ports\":["
                + minio.port()
                + "]}]");
    assertThat(install.exit()).as("helm install:\n%s", install.all()).isZero();
    try {
      String fullname = release + "-s3-integration-operator";
      assertThat(admin.serviceAccounts().inNamespace(operatorNs).withName(fullname).get())
          .isNotNull();
      assertThat(
              admin
                  .network()
                  .v1()
                  .networkPolicies()
                  .inNamespace(operatorNs)
                  .withName(fullname)
                  .get())
          .isNotNull();
      // the default ingress policy, as the API server keeps it: the probe port from anywhere, the
      // metrics port only from the namespace "monitoring" (issue 21, item 9)
      var ingress =
          admin
              .network()
              .v1()
              .networkPolicies()
              .inNamespace(operatorNs)
              .withName(fullname + "-ingress")
              .get();
      assertThat(ingress.getSpec().getPolicyTypes()).containsExactly("Ingress");
      assertThat(ingress.getSpec().getIngress())
          .extracting(
              r ->
                  r.getPorts().get(0).getPort().getIntVal()
                      + " from "
                      + (r.getFrom() == null || r.getFrom().isEmpty()
                          ? "anywhere"
                          : r.getFrom().get(0).getNamespaceSelector().getMatchLabels()))
          .containsExactly(
              "8081 from anywhere", "8080 from {kubernetes.io/metadata.name=monitoring}");
      assertThat(
              admin
                  .policy()
                  .v1()
                  .podDisruptionBudget()
                  .inNamespace(operatorNs)
                  .withName(fullname)
                  .get())
          .isNotNull();
      assertThat(
              admin.rbac().roles().inNamespace(tenant).withName(operatorNs + "-" + fullname).get())
          .as("the Role in the watched namespace")
          .isNotNull();
      // Nothing cluster-wide from this release names a Secret.
      List<ClusterRole> clusterRoles =
          admin.rbac().clusterRoles().list().getItems().stream()
              .filter(r -> r.getMetadata().getName().startsWith(operatorNs + "-"))
              .toList();
      assertThat(clusterRoles).isNotEmpty();
      assertThat(clusterRoles)
          .flatMap(ClusterRole::getRules)
          .allSatisfy(rule -> assertThat(rule.getResources()).doesNotContain("secrets"));

      Config config = Config.fromKubeconfig(kube.kubeConfigYaml());
      config.setImpersonateUsername("system:serviceaccount:" + operatorNs + ":" + fullname);
      config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + operatorNs);
      try (KubernetesClient asOperator = new KubernetesClientBuilder().withConfig(config).build()) {
        admin.resource(adminSecret(other, "theirs", "a", "b")).create();
        assertForbidden(() -> asOperator.secrets().inNamespace(other).withName("theirs").get());
        assertForbidden(() -> asOperator.secrets().inAnyNamespace().list());

        admin
            .resource(adminSecret(tenant, "minio-admin", minio.accessKey(), minio.secretKey()))
            .create();
        admin.resource(store(tenant, "minio", minio.host(), minio.port(), "minio-admin")).create();
        String bucket = "nsmode-" + MinioServer.randomSuffix();
        object(minio.rootS3(), bucket, "a.txt", "a");
        admin.resource(policy(tenant, "read", bucket)).create();

        Operator operator =
            start(
                asOperator,
                Map.of(
                    OperatorConfig.WATCH_NAMESPACES, tenant,
                    OperatorConfig.OPERATOR_NAMESPACE, operatorNs));
        try {
          admin.resource(managed(tenant, "viz", "minio", "read")).create();
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> ready(admin.resources(S3Integration.class), tenant, "viz"));
          assertThat(admin.secrets().inNamespace(tenant).withName("viz-s3").get()).isNotNull();

          deleteAndAwaitCleanup(admin, minio, tenant);
        } finally {
          stop(operator);
        }
      }
    } finally {
      HelmChartE2E.Result uninstall =
          HelmChartE2E.helm(
              "uninstall",
              release,
              "--namespace",
              operatorNs,
              "--kubeconfig",
              kube.kubeConfigFile().toString());
      assertThat(uninstall.exit()).as("helm uninstall:\n%s", uninstall.all()).isZero();
    }
  }

  static boolean ready(
      io.fabric8.kubernetes.client.dsl.MixedOperation<
              S3Integration,
              io.fabric8.kubernetes.api.model.KubernetesResourceList<S3Integration>,
              io.fabric8.kubernetes.client.dsl.Resource<S3Integration>>
          integrations,
      String ns,
      String name) {
    S3Integration i = integrations.inNamespace(ns).withName(name).get();
    return i != null
        && i.getStatus() != null
        && i.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static Operator start(KubernetesClient asOperator, Map<String, String> env) {
    Operator operator =
        OperatorFactory.create(
            asOperator,
            OperatorConfig.fromEnv(env),
            new SimpleMeterRegistry(),
            Clock.systemUTC(),
            MinioAdminClientAdapter::connect,
            true);
    operator.start();
    return operator;
  }

  static void stop(Operator operator) {
    OperatorFactory.SHUTTING_DOWN.set(true);
    try {
      operator.stop();
    } finally {
      OperatorFactory.SHUTTING_DOWN.set(false);
    }
  }

  static void bind(KubernetesClient admin, String ns, String user, String clusterRole) {
    admin
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(user + "-" + clusterRole)
                .withNamespace(ns)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole)
                .addNewSubject()
                .withKind("User")
                .withName(user)
                .withApiGroup("rbac.authorization.k8s.io")
                .endSubject()
                .build())
        .create();
  }

  static KubernetesClient as(KubeApiServer kube, String user) {
    Config config = Config.fromKubeconfig(kube.kubeConfigYaml());
    config.setImpersonateUsername(user);
    config.setImpersonateGroups("system:authenticated");
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  static void assertForbidden(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
  }

  /**
   * crds.templated on the real API server: a release adopts the CRDs the suite installed from crds/
   * (as a release that took them from crds/ would, README), {@code helm upgrade} with a changed CRD
   * updates it, and {@code helm uninstall} leaves them (resource-policy keep) with every resource
   * in place.
   */
  @Test
  void templatedCrdsAreUpgradedByHelmAndKeptOnUninstall() throws Exception {
    KubeApiServer kube = KubeApiServer.shared();
    KubernetesClient admin = kube.client();
    String ns = kube.createNamespace("crdrel");
    String release = "crds-" + MinioServer.randomSuffix();
    admin.resource(policy(ns, "kept", "kept-bucket")).create();
    List<String> crdNames =
        List.of(
            "s3integrations.s3.integrations.dev",
            "s3accesspolicies.s3.integrations.dev",
            "s3stores.s3.integrations.dev",
            "clusters3stores.s3.integrations.dev");
    // A copy of the chart whose S3AccessPolicy CRD says something new, for the upgrade.
    Path chart = Files.createTempDirectory(HelmChartE2E.ROOT.resolve("target"), "chart");
    copyTree(HelmChartE2E.CHART, chart);
    Path policyCrd = chart.resolve("crds/s3accesspolicies.s3.integrations.dev.yaml");
    String marker = "Upgraded by helm " + release + ".";
    Files.writeString(
        policyCrd,
        Files.readString(policyCrd)
            .replaceFirst("openAPIV3Schema:\n        description: \"", "$0" + marker + " "));
    String kubeconfig = kube.kubeConfigFile().toString();
    try {
      for (String name : crdNames) {
        admin
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(name)
            .edit(
                c -> {
                  c.getMetadata().getLabels().put("app.kubernetes.io/managed-by", "Helm");
                  c.getMetadata().getAnnotations().put("meta.helm.sh/release-name", release);
                  c.getMetadata().getAnnotations().put("meta.helm.sh/release-namespace", ns);
                  return c;
                });
      }
      HelmChartE2E.Result install =
          HelmChartE2E.helm(
              "install",
              release,
              HelmChartE2E.CHART.toString(),
              "--namespace",
              ns,
              "--kubeconfig",
              kubeconfig,
              "--skip-crds",
              "--set",
              "crds.templated=true",
              "--set",
              "rbac.create=false",
              "--set",
              "serviceAccount.create=false",
              "--set",
              "serviceAccount.name=default");
      assertThat(install.exit()).as("helm install:\n%s", install.all()).isZero();
      for (String name : crdNames) {
        assertThat(crd(admin, name).getMetadata().getAnnotations())
            .as("annotations of %s", name)
            .containsEntry("helm.sh/resource-policy", "keep");
      }

      HelmChartE2E.Result upgrade =
          HelmChartE2E.helm(
              "upgrade",
              release,
              chart.toString(),
              "--namespace",
              ns,
              "--kubeconfig",
              kubeconfig,
              "--reuse-values");
      assertThat(upgrade.exit()).as("helm upgrade:\n%s", upgrade.all()).isZero();
      assertThat(
              crd(admin, "s3accesspolicies.s3.integrations.dev")
                  .getSpec()
                  .getVersions()
                  .get(0)
                  .getSchema()
                  .getOpenAPIV3Schema()
                  .getDescription())
          .startsWith(marker);

      HelmChartE2E.Result uninstall =
          HelmChartE2E.helm("uninstall", release, "--namespace", ns, "--kubeconfig", kubeconfig);
      assertThat(uninstall.exit()).as("helm uninstall:\n%s", uninstall.all()).isZero();
      assertThat(uninstall.all()).contains("kept due to the resource policy");
      for (String name : crdNames) {
        assertThat(crd(admin, name)).as("CRD %s after helm uninstall", name).isNotNull();
      }
      assertThat(admin.resources(S3AccessPolicy.class).inNamespace(ns).withName("kept").get())
          .as("a resource of a kept CRD")
          .isNotNull();
    } finally {
      // Back to the committed CRDs, as the suite installed them.
      List<Path> committed;
      try (Stream<Path> files = Files.list(HelmChartE2E.ROOT.resolve("crds"))) {
        committed = files.sorted().toList();
      }
      for (Path f : committed) {
        CustomResourceDefinition original =
            admin.apiextensions().v1().customResourceDefinitions().load(f.toFile()).item();
        admin.resource(original).forceConflicts().serverSideApply();
      }
    }
  }

  static CustomResourceDefinition crd(KubernetesClient admin, String name) {
    return admin.apiextensions().v1().customResourceDefinitions().withName(name).get();
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** Deletes the integration viz in {@code ns}; the operator removes it and its MinIO policy. */
  private static void deleteAndAwaitCleanup(KubernetesClient admin, MinioServer minio, String ns)
      throws Exception {
    admin.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                admin.resources(S3Integration.class).inNamespace(ns).withName("viz").get() == null);
    assertThat(minio.rootAdmin().listCannedPolicies()).doesNotContainKey("s3i-" + ns + ".viz");
  }
}
