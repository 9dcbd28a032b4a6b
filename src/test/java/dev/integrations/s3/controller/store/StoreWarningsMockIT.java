package dev.integrations.s3.controller.store;

import static dev.integrations.s3.testing.Fixtures.allow;
import static dev.integrations.s3.testing.Fixtures.validateOnlyStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.AllowRule;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A store whose allow rule limits a key prefix without a trailing "/" works, and its Ready message
 * says what else that prefix allows (issue 21, item 15), on a real MinIO.
 */
@EnableKubernetesMockClient(crud = true)
class StoreWarningsMockIT {
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
  void aPrefixWithoutTrailingSlashIsReadyWithAWarning() {
    String ns = "warn-" + MinioServer.randomSuffix();
    S3Store store = validateOnlyStore(ns, "minio", minio.host(), minio.port());
    AllowRule rule = allow(Map.of(), "share-*");
    rule.setNamespaceSelector(null); // an S3Store serves its own namespace only
    rule.setPrefixes(List.of("team-a", "studies/"));
    store.getSpec().setAllow(List.of(rule));
    client.resource(store).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              S3Store s = client.resources(S3Store.class).inNamespace(ns).withName("minio").get();
              java.util.Optional<Condition> found =
                  Conditions.find(
                      s.getStatus() == null ? List.of() : s.getStatus().getConditions(), "Ready");
              assertThat(found).as("Ready of the store").isPresent();
              Condition ready = found.get();
              assertThat(ready.getStatus()).as(ready.getMessage()).isEqualTo("True");
              assertThat(ready.getMessage())
                  .contains("warning: allow[0] prefix \"team-a\" has no trailing \"/\"")
                  .doesNotContain("studies/\" has no");
            });
  }
}
