package dev.integrations.s3.metrics;

import static dev.integrations.s3.testing.Fixtures.clusterStore;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicyStatus;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.api.v1alpha1.StoreStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Ready gauge as Prometheus scrapes it, over a cache the test changes. */
class ResourceReadinessTest {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final List<HasMetadata> integrations = new CopyOnWriteArrayList<>();
  final List<HasMetadata> policies = new CopyOnWriteArrayList<>();
  final List<HasMetadata> clusterStores = new CopyOnWriteArrayList<>();

  @BeforeEach
  void register() {
    ResourceReadiness readiness = new ResourceReadiness();
    readiness.watch("S3Integration", integrations::stream);
    readiness.watch("S3AccessPolicy", policies::stream);
    readiness.watch("ClusterS3Store", clusterStores::stream);
    registry.getPrometheusRegistry().register(readiness);
  }

  static Condition ready(String status, String reason) {
    return new ConditionBuilder().withType("Ready").withStatus(status).withReason(reason).build();
  }

  static S3Integration integration(String name, Condition... conditions) {
    S3Integration i = managed("team-a", name, "minio", "read");
    if (conditions.length > 0) {
      S3IntegrationStatus s = new S3IntegrationStatus();
      s.setConditions(List.of(conditions));
      i.setStatus(s);
    }
    return i;
  }

  /** The series of the metric, one line each, without the HELP and TYPE lines. */
  List<String> series() {
    return registry
        .scrape()
        .lines()
        .filter(l -> l.startsWith(ResourceReadiness.METRIC + "{"))
        .sorted()
        .toList();
  }

  @Test
  void aResourceAppearsChangesItsReasonAndDisappearsWhenDeleted() {
    integrations.add(integration("viz", ready("True", "Ready")));
    assertThat(series())
        .containsExactly(
            "s3_operator_resource_ready{kind=\"S3Integration\",name=\"viz\",namespace=\"team-a\","
                + "reason=\"Ready\"} 1.0");

    // The cache now holds the resource with a new status: one series, the new reason, value 0.
    integrations.set(
        0,
        integration(
            "viz",
            new ConditionBuilder().withType("PolicyApplied").withStatus("False").build(),
            ready("False", "PolicyNotFound")));
    assertThat(series())
        .containsExactly(
            "s3_operator_resource_ready{kind=\"S3Integration\",name=\"viz\",namespace=\"team-a\","
                + "reason=\"PolicyNotFound\"} 0.0");

    integrations.clear(); // deleted: gone from the informer cache
    assertThat(series()).isEmpty();
    assertThat(registry.scrape()).doesNotContain("name=\"viz\"");
  }

  @Test
  void unknownAndNotYetReconciledAreZero() {
    integrations.add(integration("new"));
    integrations.add(integration("checking", ready("Unknown", "Reconciling")));
    assertThat(series())
        .containsExactly(
            "s3_operator_resource_ready{kind=\"S3Integration\",name=\"checking\","
                + "namespace=\"team-a\",reason=\"Reconciling\"} 0.0",
            "s3_operator_resource_ready{kind=\"S3Integration\",name=\"new\",namespace=\"team-a\","
                + "reason=\"NoStatus\"} 0.0");
  }

  @Test
  void everyKindWithReadyIsExportedClusterScopedWithoutNamespace() {
    S3AccessPolicy p = policy("team-a", "read", "bucket");
    S3AccessPolicyStatus ps = new S3AccessPolicyStatus();
    ps.setConditions(List.of(ready("True", "Valid")));
    p.setStatus(ps);
    policies.add(p);
    ClusterS3Store store = clusterStore("minio-prod", "127.0.0.1", 9000, "minio-admin");
    StoreStatus ss = new StoreStatus();
    ss.setConditions(List.of(ready("False", "AdminCredentialsInvalid")));
    store.setStatus(ss);
    clusterStores.add(store);
    assertThat(series())
        .containsExactly(
            "s3_operator_resource_ready{kind=\"ClusterS3Store\",name=\"minio-prod\",namespace=\"\","
                + "reason=\"AdminCredentialsInvalid\"} 0.0",
            "s3_operator_resource_ready{kind=\"S3AccessPolicy\",name=\"read\","
                + "namespace=\"team-a\",reason=\"Valid\"} 1.0");
  }

  @Test
  void oneThousandResourcesAreOneSeriesEach() {
    for (int i = 0; i < 1000; i++) {
      integrations.add(integration("viz-" + i, ready("True", "Ready")));
    }
    assertThat(series()).hasSize(1000);
    integrations.subList(0, 400).clear();
    assertThat(series()).hasSize(600);
  }
}
