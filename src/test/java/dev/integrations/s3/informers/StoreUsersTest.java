package dev.integrations.s3.informers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.CredentialsSpec;
import dev.integrations.s3.api.v1alpha1.ManagedCredentials;
import dev.integrations.s3.api.v1alpha1.PolicyRef;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationSpec;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The store-users view: what its caches keep of an integration, and how many informers it runs. */
class StoreUsersTest {

  @Test
  void keepsOnlyWhatNamesAStoresUsers() {
    S3Integration i = new S3Integration();
    i.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("team-a")
            .withName("app")
            .withUid("u-1")
            .withResourceVersion("42")
            .withGeneration(3L)
            .withDeletionTimestamp("2026-01-01T00:00:00Z")
            .withLabels(Map.of("team", "a"))
            .withAnnotations(Map.of("s3.integrations.dev/paused", "true"))
            .withFinalizers("s3.integrations.dev/cleanup", "example.com/other")
            .withOwnerReferences(new OwnerReferenceBuilder().withName("owner").build())
            .build());
    S3IntegrationSpec spec = new S3IntegrationSpec();
    spec.setStoreRef(new StoreRef(StoreKind.S3Store, "own"));
    spec.setBucket("data");
    spec.setAccessPolicyRefs(List.of(new PolicyRef("read")));
    CredentialsSpec credentials = new CredentialsSpec();
    credentials.setManaged(new ManagedCredentials());
    spec.setCredentials(credentials);
    i.setSpec(spec);
    i.setStatus(new S3IntegrationStatus());

    StoreUsers.prune(i);

    assertThat(i.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(i.getMetadata().getName()).isEqualTo("app");
    assertThat(i.getMetadata().getUid()).isEqualTo("u-1");
    assertThat(i.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(i.getMetadata().getDeletionTimestamp()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(i.getSpec().getStoreRef().getKind()).isEqualTo(StoreKind.S3Store);
    assertThat(i.getSpec().getStoreRef().getName()).isEqualTo("own");
    // empty, not null: JOSDK's event source reads the annotations of every update
    assertThat(i.getMetadata().getAnnotations()).isEmpty();
    assertThat(i.getMetadata().getLabels()).isEmpty();
    // only the operator's: a deletion still cleaning up keeps its store
    assertThat(i.getMetadata().getFinalizers()).containsExactly("s3.integrations.dev/cleanup");
    assertThat(i.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(i.getSpec().getBucket()).isNull();
    assertThat(i.getSpec().getAccessPolicyRefs()).isNullOrEmpty();
    assertThat(i.getSpec().getCredentials()).isNull();
    assertThat(i.getStatus()).isNull();
  }

  @Test
  void oneInformerForAllOrOneNamespaceElseOnePerNamespace() {
    assertThat(StoreUsers.layout(Set.of()))
        .isEqualTo(Map.of(StoreUsers.ALL, Constants.DEFAULT_NAMESPACES_SET));
    assertThat(StoreUsers.layout(Set.of("team-a")))
        .isEqualTo(Map.of(StoreUsers.ALL, Set.of("team-a")));
    assertThat(StoreUsers.layout(Set.of("team-a", "team-b")))
        .isEqualTo(Map.of("team-a", Set.of("team-a"), "team-b", Set.of("team-b")));
  }
}
