package dev.integrations.s3.controller.integration;

import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.integration.plan.IntegrationModel;
import dev.integrations.s3.controller.integration.plan.UserNameOverlap;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.store.ResolvedStore;
import dev.integrations.s3.store.StoreAccess;
import dev.integrations.s3.store.StoreSpecs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Which store an integration uses and what it allows the integration's namespace, from the
 * informers' caches. References never cross namespaces: an S3Store is looked up in the
 * integration's own namespace; a ClusterS3Store is the only way out, and its rules decide.
 */
final class StoreLookup {
  private final String operatorNamespace;
  private final Function<String, Optional<ClusterS3Store>> clusterStores;
  private final BiFunction<String, String, Optional<S3Store>> stores;
  private final Function<String, Map<String, String>> namespaceLabels;
  private final StoresByEndpoint endpoints;

  StoreLookup(
      String operatorNamespace,
      Function<String, Optional<ClusterS3Store>> clusterStores,
      BiFunction<String, String, Optional<S3Store>> stores,
      Function<String, Map<String, String>> namespaceLabels,
      StoresByEndpoint endpoints) {
    this.operatorNamespace = operatorNamespace;
    this.clusterStores = clusterStores;
    this.stores = stores;
    this.namespaceLabels = namespaceLabels;
    this.endpoints = endpoints;
  }

  /**
   * The refusal of a managed integration whose user an older store on the same endpoint can derive
   * for a namespace it serves ({@link UserNameOverlap}), from the caches; empty otherwise.
   */
  Optional<StepFailure> userNameOverlap(IntegrationModel model) {
    if (!model.managed()) {
      return Optional.empty();
    }
    List<UserNameOverlap.Store> all = endpoints.at(model.store());
    String id = model.store().id();
    return all.stream()
        .filter(s -> s.id().equals(id))
        .findFirst()
        .flatMap(
            own ->
                UserNameOverlap.refusal(
                    model.userName(),
                    model.identity().namespace(),
                    model.identity().name(),
                    own,
                    all,
                    endpoints.namespaces()));
  }

  /**
   * The store the integration references.
   *
   * <p>A store being deleted still serves its integrations: its deletion waits for them (a
   * finalizer), so pending decommissioning never cuts consumers off. It is marked {@code deleting}:
   * a new one is refused before any write ({@code Decider.admission}).
   *
   * @throws StepFailure StoreNotFound when it does not exist
   */
  ResolvedStore resolve(S3Integration i) {
    StoreRef ref = i.getSpec() == null ? null : i.getSpec().getStoreRef();
    if (ref == null || ref.getName() == null) {
      throw StepFailure.permanent(
          ConditionTypes.READY, Reasons.INVALID_SPEC, "storeRef.name is required");
    }
    String ns = i.getMetadata().getNamespace();
    Optional<ResolvedStore> found =
        ref.getKind() == StoreKind.S3Store
            ? stores
                .apply(ns, ref.getName())
                .filter(s -> s.getSpec() != null)
                .map(
                    s ->
                        new ResolvedStore(
                            StoreKind.S3Store, ref.getName(), ns, s.getSpec(), ns, deleting(s)))
            : clusterStores
                .apply(ref.getName())
                .filter(s -> s.getSpec() != null)
                .map(
                    s ->
                        new ResolvedStore(
                            StoreKind.ClusterS3Store,
                            ref.getName(),
                            null,
                            s.getSpec(),
                            operatorNamespace,
                            deleting(s)));
    ResolvedStore store =
        found.orElseThrow(
            () ->
                StepFailure.permanent(
                    ConditionTypes.READY,
                    Reasons.STORE_NOT_FOUND,
                    (ref.getKind() == StoreKind.S3Store
                        ? "S3Store \"" + ref.getName() + "\" not found in this namespace"
                        : "ClusterS3Store \"" + ref.getName() + "\" not found")));
    List<String> problems = StoreSpecs.problems(store.kind(), store.spec());
    if (!problems.isEmpty()) {
      throw StepFailure.permanent(
          ConditionTypes.READY,
          Reasons.INVALID_SPEC,
          store.id() + " is invalid: " + String.join("; ", problems));
    }
    return store;
  }

  /**
   * The store a record names ({@code ClusterS3Store/<name>} or {@code S3Store/<ns>/<name>}), if it
   * still exists.
   */
  Optional<ResolvedStore> byId(String id) {
    return object(id).flatMap(this::resolved);
  }

  /** A cached store object as a resolved store, unless it has no spec. */
  private Optional<ResolvedStore> resolved(io.fabric8.kubernetes.api.model.HasMetadata s) {
    String name = s.getMetadata().getName();
    if (s instanceof ClusterS3Store c) {
      return Optional.ofNullable(c.getSpec())
          .map(
              spec ->
                  new ResolvedStore(StoreKind.ClusterS3Store, name, null, spec, operatorNamespace));
    }
    String ns = s.getMetadata().getNamespace();
    return Optional.ofNullable(((S3Store) s).getSpec())
        .map(spec -> new ResolvedStore(StoreKind.S3Store, name, ns, spec, ns));
  }

  /**
   * The generation of the store a record names, or -1 when it does not exist: what changes when its
   * rules change.
   */
  long generation(String id) {
    return object(id).map(s -> s.getMetadata().getGeneration()).orElse(-1L);
  }

  /** The store object an id ({@code ClusterS3Store/<name>}, {@code S3Store/<ns>/<name>}) names. */
  private Optional<? extends io.fabric8.kubernetes.api.model.HasMetadata> object(String id) {
    String[] parts = id.split("/");
    if (parts.length == 2 && parts[0].equals(StoreKind.ClusterS3Store.name())) {
      return clusterStores.apply(parts[1]);
    }
    if (parts.length == 3 && parts[0].equals(StoreKind.S3Store.name())) {
      return stores.apply(parts[1], parts[2]);
    }
    return Optional.empty();
  }

  private static boolean deleting(io.fabric8.kubernetes.api.model.HasMetadata store) {
    return store.getMetadata() != null && store.getMetadata().getDeletionTimestamp() != null;
  }

  /** What the store allows the integration's namespace. */
  StoreAccess access(ResolvedStore store, S3Integration i) {
    return access(store, i.getMetadata().getNamespace());
  }

  /** What the store allows the namespace now. */
  StoreAccess access(ResolvedStore store, String namespace) {
    return StoreAccess.of(store.kind(), store.spec(), namespaceLabels.apply(namespace));
  }

  /** The store the integration names, if it exists and is usable; empty instead of a failure. */
  Optional<ResolvedStore> named(S3Integration i) {
    try {
      return Optional.of(resolve(i));
    } catch (StepFailure e) {
      return Optional.empty();
    }
  }
}
