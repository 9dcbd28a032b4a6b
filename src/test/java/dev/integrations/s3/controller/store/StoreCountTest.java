package dev.integrations.s3.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationSpec;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import dev.integrations.s3.api.v1alpha1.StoreSpec;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which integrations count for a store (and keep it), and which store an integration's change
 * wakes.
 */
class StoreCountTest {

  /** A ClusterS3Store counts the whole cluster, whatever this release (shard) watches. */
  @ParameterizedTest(name = "{0} with WATCH_NAMESPACES={1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # kind         | WATCH_NAMESPACES | namespaces that count (empty: all)
          ClusterS3Store | ''               | ''
          ClusterS3Store | team-a           | ''
          ClusterS3Store | team-a,team-b    | ''
          S3Store        | ''               | ''
          S3Store        | team-a           | team-a
          S3Store        | team-a,team-b    | team-a,team-b
          """)
  void aClusterStoreCountsTheWholeClusterAnS3StoreTheWatchedNamespaces(
      StoreKind kind, String watched, String counted) {
    OperatorConfig config =
        OperatorConfig.fromEnv(Map.of(OperatorConfig.WATCH_NAMESPACES, watched));

    assertThat(StoreCount.namespaces(kind, config)).isEqualTo(set(counted));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # case                               | storeRef kind  | storeRef name | deleted | counts for               | wakes ClusterS3Store | wakes S3Store
          a ClusterS3Store named               | ClusterS3Store | shared        | false   | ClusterS3Store/shared    | shared               | -
          no kind: a ClusterS3Store            | -              | shared        | false   | ClusterS3Store/shared    | shared               | -
          an S3Store of its namespace          | S3Store        | own           | false   | S3Store/team-a/own       | -                    | team-a/own
          deleted, clean-up done: counts none  | ClusterS3Store | shared        | true    | -                        | shared               | -
          S3Store, deleted, clean-up done      | S3Store        | own           | true    | -                        | -                    | team-a/own
          no store named                       | -              | -             | false   | -                        | -                    | -
          """)
  void anIntegrationCountsForTheStoreItNamesUntilItIsDeleted(
      String name,
      StoreKind kind,
      String storeName,
      boolean deleted,
      String countsFor,
      String wakesCluster,
      String wakesNamespaced) {
    S3Integration i = integration(kind, storeName, deleted);

    assertThat(StoreCount.countsFor(i)).isEqualTo(Optional.ofNullable(countsFor));
    assertThat(StoreCount.wakes(StoreKind.ClusterS3Store, i)).isEqualTo(ids(wakesCluster));
    assertThat(StoreCount.wakes(StoreKind.S3Store, i)).isEqualTo(ids(wakesNamespaced));
  }

  /**
   * Issue 21, item 12: only the namespaces a ClusterS3Store's rules select count; a tenant naming
   * it from elsewhere neither raises the count nor keeps it. An S3Store serves its own namespace.
   */
  @Test
  void aClusterStoreCountsOnlyTheNamespacesItsRulesAllow() {
    StoreSpec spec =
        Fixtures.clusterStore(
                "shared", "minio", 9000, "admin", Fixtures.allow(Map.of("team", "vision"), "*"))
            .getSpec();
    Map<String, Map<String, String>> labels =
        Map.of("allowed", Map.of("team", "vision"), "other", Map.of("team", "intruder"));
    List<S3Integration> naming =
        List.of(
            in("allowed", "a"),
            in("other", "b"),
            in("unlabelled", "c"), // no labels, or a namespace not in the cache
            in("allowed", "d"));

    List<S3Integration> served =
        StoreCount.served(
            StoreKind.ClusterS3Store, spec, naming, ns -> labels.getOrDefault(ns, Map.of()));

    assertThat(served)
        .extracting(i -> i.getMetadata().getNamespace() + "/" + i.getMetadata().getName())
        .containsExactly("allowed/a", "allowed/d");
    assertThat(InUse.keeps(served).orElseThrow()).contains("2 S3Integration(s)");
    assertThat(
            InUse.keeps(
                StoreCount.served(
                    StoreKind.ClusterS3Store,
                    spec,
                    List.of(in("other", "b")),
                    ns -> labels.getOrDefault(ns, Map.of()))))
        .as("named only from a namespace no rule allows: the finalizer goes")
        .isEmpty();
    assertThat(StoreCount.served(StoreKind.S3Store, spec, naming, ns -> Map.of()))
        .as("an S3Store serves its own namespace, whatever its rules")
        .hasSize(4);
  }

  private static S3Integration in(String namespace, String name) {
    S3Integration i = integration(StoreKind.ClusterS3Store, "shared", false);
    i.getMetadata().setNamespace(namespace);
    i.getMetadata().setName(name);
    return i;
  }

  private static S3Integration integration(StoreKind kind, String store, boolean deleted) {
    S3Integration i = new S3Integration();
    ObjectMetaBuilder meta = new ObjectMetaBuilder().withNamespace("team-a").withName("app");
    if (deleted) {
      meta.withDeletionTimestamp("2026-01-01T00:00:00Z");
    }
    i.setMetadata(meta.build());
    S3IntegrationSpec spec = new S3IntegrationSpec();
    if (store != null) {
      StoreRef ref = new StoreRef();
      ref.setKind(kind); // null: the kind left out
      ref.setName(store);
      spec.setStoreRef(ref);
    }
    i.setSpec(spec);
    return i;
  }

  /** {@code name} (cluster-scoped) or {@code namespace/name}; null: none. */
  private static Set<ResourceID> ids(String id) {
    if (id == null) {
      return Set.of();
    }
    String[] parts = id.split("/");
    return Set.of(
        parts.length == 1 ? new ResourceID(parts[0]) : new ResourceID(parts[1], parts[0]));
  }

  private static Set<String> set(String csv) {
    return Arrays.stream(csv.split(",")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }

  @Test
  void aDeletionStillCleaningUpKeepsItsStore() {
    // released first, the store would leave that integration's user behind with nothing to reach
    // it through
    S3Integration i = integration(StoreKind.ClusterS3Store, "shared", true);
    i.getMetadata().setFinalizers(List.of(dev.integrations.s3.api.v1alpha1.ApiGroup.FINALIZER));
    assertThat(StoreCount.countsFor(i)).contains("ClusterS3Store/shared");
    dev.integrations.s3.informers.StoreUsers.prune(i); // what the store's cache keeps of it
    assertThat(StoreCount.countsFor(i)).contains("ClusterS3Store/shared");
  }
}
