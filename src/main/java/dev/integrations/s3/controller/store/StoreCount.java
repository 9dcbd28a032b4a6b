package dev.integrations.s3.controller.store;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreSpec;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.store.ResolvedStore;
import dev.integrations.s3.store.StoreAccess;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Which integrations count for a store (and keep it), and which store an integration wakes. */
final class StoreCount {
  private StoreCount() {}

  /**
   * The namespaces whose integrations count; empty means all. Every integration in the cluster that
   * names a ClusterS3Store counts and keeps it, whichever operator serves it: with shards (disjoint
   * WATCH_NAMESPACES, one CLUSTER_STORE_CONTROLLER), a view of this release's namespaces alone
   * would let a store in use elsewhere go. An S3Store's users are in its own namespace, which this
   * release watches.
   */
  static Set<String> namespaces(StoreKind kind, OperatorConfig config) {
    return kind == StoreKind.ClusterS3Store ? Set.of() : config.watchNamespaces();
  }

  /**
   * The key of the store an integration counts for ({@link ResolvedStore#id}), or empty: it names
   * no store, or it is being deleted and its clean-up is done (the operator's finalizer is gone). A
   * deletion still cleaning up keeps the store: releasing it first would leave that integration's
   * user on the storage with nothing to reach it through.
   */
  static Optional<String> countsFor(S3Integration i) {
    boolean cleaningUp =
        i.getMetadata().getFinalizers() != null
            && i.getMetadata().getFinalizers().contains(ApiGroup.FINALIZER);
    return i.getMetadata().getDeletionTimestamp() == null || cleaningUp
        ? ResolvedStore.idOf(i)
        : Optional.empty();
  }

  /**
   * Of the integrations that name a store, those it serves: an S3Store serves its own namespace, a
   * ClusterS3Store the namespaces its allow rules select ({@link StoreAccess#of}). Only these count
   * in {@code status.integrations} and keep the store when it is deleted: an integration in a
   * namespace no rule allows is refused (StoreNotAllowed) and holds nothing on the storage, so it
   * must not let a tenant inflate the count or block the platform's deletion (issue 21, item 12).
   *
   * @param namespaceLabels the labels of a namespace (empty when unknown)
   */
  static List<S3Integration> served(
      StoreKind kind,
      StoreSpec spec,
      List<S3Integration> naming,
      Function<String, Map<String, String>> namespaceLabels) {
    if (kind == StoreKind.S3Store) {
      return naming; // an integration names only the S3Store of its own namespace
    }
    Map<String, Boolean> byNamespace = new HashMap<>();
    return naming.stream()
        .filter(
            i ->
                byNamespace.computeIfAbsent(
                    i.getMetadata().getNamespace(),
                    ns -> StoreAccess.of(kind, spec, namespaceLabels.apply(ns)).usable()))
        .toList();
  }

  /**
   * The store of this kind whose count an integration's change may change: the one it names, being
   * deleted or not (its deletion lowers the count and may let the store go).
   */
  static Set<ResourceID> wakes(StoreKind kind, S3Integration i) {
    return ResolvedStore.idOf(i).flatMap(key -> primaryOf(kind, key)).stream()
        .collect(java.util.stream.Collectors.toSet());
  }

  /** The store's primary id for a store key, when it is a store of this kind. */
  static Optional<ResourceID> primaryOf(StoreKind kind, String key) {
    String[] parts = key.split("/");
    if (!parts[0].equals(kind.name())) {
      return Optional.empty();
    }
    return Optional.of(
        kind == StoreKind.ClusterS3Store
            ? new ResourceID(parts[1])
            : new ResourceID(parts[2], parts[1]));
  }
}
