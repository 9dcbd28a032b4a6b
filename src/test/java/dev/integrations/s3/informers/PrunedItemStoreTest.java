package dev.integrations.s3.informers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The output Secrets' and trust stores' caches keep data only of what an S3Integration controls
 * (issue 21, item 5): anyone may put the operator's labels on a Secret, and the label-selected
 * informer would otherwise hold its data.
 */
class PrunedItemStoreTest {
  static final Map<String, String> LABELS =
      Map.of(
          "app.kubernetes.io/managed-by", "s3-integration-operator",
          "s3.integrations.dev/integration", "viz");

  static OwnerReference owner(String apiVersion, String kind, Boolean controller) {
    return new OwnerReferenceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withName("viz")
        .withUid("0b3c8f52-uid")
        .withController(controller)
        .build();
  }

  static Secret secret(String name, OwnerReference... owners) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("team-a")
        .withLabels(LABELS)
        .withOwnerReferences(List.of(owners))
        .endMetadata()
        .withData(Map.of("AWS_ACCESS_KEY_ID", "a2V5", "big", "eA==".repeat(1000)))
        .build();
  }

  static Secret cached(Secret s) {
    PrunedItemStore<Secret> store = PrunedItemStore.outputSecrets();
    store.put("team-a/" + s.getMetadata().getName(), s);
    return store.get("team-a/" + s.getMetadata().getName());
  }

  @Test
  void aSecretAnIntegrationControlsKeepsItsData() {
    Secret s =
        cached(secret("viz-s3", owner("s3.integrations.dev/v1alpha1", "S3Integration", true)));
    assertThat(s.getData()).containsEntry("AWS_ACCESS_KEY_ID", "a2V5").containsKey("big");
  }

  @Test
  void aLabelledSecretWithoutAControllingIntegrationIsCachedWithoutData() {
    for (Secret s :
        List.of(
            secret("no-owner"),
            secret("not-controller", owner("s3.integrations.dev/v1alpha1", "S3Integration", null)),
            secret("other-kind", owner("apps/v1", "Deployment", true)),
            secret("other-group", owner("evil.example/v1alpha1", "S3Integration", true)))) {
      Secret c = cached(s);
      assertThat(c.getData()).as(s.getMetadata().getName()).isNull();
      // what the operator matches on is still there: name, labels, owners
      assertThat(c.getMetadata().getName()).isEqualTo(s.getMetadata().getName());
      assertThat(c.getMetadata().getLabels()).isEqualTo(LABELS);
    }
  }

  @Test
  void aTrustStoreKeepsItsDataOnlyWhenAnIntegrationControlsIt() {
    PrunedItemStore<ConfigMap> store = PrunedItemStore.trustStores();
    store.put(
        "team-a/ours", configMap("ours", owner("s3.integrations.dev/v1", "S3Integration", true)));
    store.put("team-a/theirs", configMap("theirs"));
    assertThat(store.get("team-a/ours").getData()).containsKey("ca.crt");
    assertThat(store.get("team-a/ours").getBinaryData()).containsKey("truststore.p12");
    assertThat(store.get("team-a/theirs").getData()).isNull();
    assertThat(store.get("team-a/theirs").getBinaryData()).isNull();
    assertThat(store.get("team-a/theirs").getMetadata().getLabels()).isEqualTo(LABELS);
  }

  static ConfigMap configMap(String name, OwnerReference... owners) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("team-a")
        .withLabels(LABELS)
        .withOwnerReferences(List.of(owners))
        .endMetadata()
        .withData(Map.of("ca.crt", "-----BEGIN CERTIFICATE-----"))
        .withBinaryData(Map.of("truststore.p12", "AAAA"))
        .build();
  }
}
