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

import dev.integrations.s3.OperatorFactory;
import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.minio.MinioAdminClientAdapter;
import dev.integrations.s3.store.OwnershipRecords;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC is enough, and no more: the operator, with leader election as two replicas run
 * it, serves the platform case (a ClusterS3Store whose admin Secret is in the operator's namespace,
 * a tenant namespace its rule allows) on the real API server (which authorizes with RBAC) while
 * impersonating the chart's ServiceAccount with exactly the rendered roles and bindings applied.
 */
class ChartRbacIT {

  @BeforeAll
  static void installHelm() throws IOException {
    HelmChartIT.helm = HelmChartIT.install();
    HelmChartIT.helmHome = Files.createDirectories(HelmChartIT.ROOT.resolve("target/helm-home"));
  }

  @Test
  void operatorWorksWithExactlyTheChartsPermissions() throws Exception {
    KubeApiServer kube = KubeApiServer.shared();
    KubernetesClient admin = kube.client();
    MinioServer minio = MinioServer.shared();
    kube.createNamespaceNamed(HelmChartIT.NAMESPACE);
    List<HasMetadata> rendered = HelmChartIT.template("--set", "replicaCount=2");
    for (Class<? extends HasMetadata> type :
        List.of(
            ServiceAccount.class,
            ClusterRole.class,
            ClusterRoleBinding.class,
            Role.class,
            RoleBinding.class)) {
      for (HasMetadata o : HelmChartIT.all(rendered, type)) {
        admin.resource(o).forceConflicts().serverSideApply();
      }
    }
    String serviceAccount = HelmChartIT.one(rendered, ServiceAccount.class).getMetadata().getName();

    Config config = Config.fromKubeconfig(kube.kubeConfigYaml());
    config.setImpersonateUsername(
        "system:serviceaccount:" + HelmChartIT.NAMESPACE + ":" + serviceAccount);
    config.setImpersonateGroups(
        "system:serviceaccounts", "system:serviceaccounts:" + HelmChartIT.NAMESPACE);
    try (KubernetesClient asOperator = new KubernetesClientBuilder().withConfig(config).build()) {
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
      String adminSecretName = store + "-admin";
      admin
          .resource(
              adminSecret(
                  HelmChartIT.NAMESPACE, adminSecretName, minio.accessKey(), minio.secretKey()))
          .create();
      admin
          .resource(
              clusterStore(
                  store,
                  minio.host(),
                  minio.port(),
                  adminSecretName,
                  allow(Map.of("team", "rbac-it"), "rbac-*")))
          .create();
      // Least privilege, checked by the server: the operator may not delete a tenant's Secrets.
      admin.resource(adminSecret(ns, "someones", "a", "b")).create();
      assertThatThrownBy(() -> asOperator.secrets().inNamespace(ns).withName("someones").delete())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));

      OperatorConfig operatorConfig =
          OperatorConfig.fromEnv(
              Map.of(
                  OperatorConfig.LEADER_ELECTION, "true",
                  OperatorConfig.LEADER_ELECTION_NAMESPACE, HelmChartIT.NAMESPACE,
                  OperatorConfig.LEADER_ELECTION_LEASE_DURATION, "6s",
                  OperatorConfig.LEADER_ELECTION_IDENTITY, "rbac-it",
                  OperatorConfig.OPERATOR_NAMESPACE, HelmChartIT.NAMESPACE));
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
                    .inNamespace(HelmChartIT.NAMESPACE)
                    .withLabel(OwnershipRecords.LABEL)
                    .list()
                    .getItems())
            .anySatisfy(
                r ->
                    assertThat(r.getMetadata().getAnnotations())
                        .containsEntry(OwnershipRecords.USER_ANNOTATION, ns + ".viz"));

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
                          .inNamespace(HelmChartIT.NAMESPACE)
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

        admin.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    admin.resources(S3Integration.class).inNamespace(ns).withName("viz").get()
                        == null);
        assertThat(minio.rootAdmin().listCannedPolicies()).doesNotContainKey("s3i-" + ns + ".viz");
        assertThat(
                admin
                    .secrets()
                    .inNamespace(HelmChartIT.NAMESPACE)
                    .withLabel(OwnershipRecords.LABEL)
                    .list()
                    .getItems())
            .noneSatisfy(
                r ->
                    assertThat(r.getMetadata().getAnnotations())
                        .containsEntry(OwnershipRecords.USER_ANNOTATION, ns + ".viz"));
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
}
