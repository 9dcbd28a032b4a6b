package dev.integrations.s3.informers;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A store controller's view of the integrations that use its stores: informers of S3Integration
 * whose caches keep only what names a store's users ({@link #prune}), indexed by the store each
 * integration counts for.
 *
 * <p>One informer serves all namespaces, or the one watched namespace; with several watched
 * namespaces there is one informer per namespace, each with a pruned cache of its own (JOSDK would
 * give one event source over several namespaces a single, shared cache: see {@link
 * PrunedItemStore#ifOneInformer}).
 *
 * @param <S> the store kind whose controller reads this view
 */
public final class StoreUsers<S extends HasMetadata> {
  static final String INDEX = "store-users";

  /** Key of the one informer when a single one serves every namespace of the view. */
  static final String ALL = "";

  /** The informers: one under {@link #ALL}, or one per namespace. */
  private final Map<String, InformerEventSource<S3Integration, S>> informers;

  private StoreUsers(Map<String, InformerEventSource<S3Integration, S>> informers) {
    this.informers = informers;
  }

  /**
   * @param storeType the store kind whose controller reads the view (the informers' primary)
   * @param namespaces the integrations' namespaces that count; empty means all
   * @param countsFor the key of the store an integration counts for, or empty when it counts for
   *     none (the index key; {@link #using} looks it up)
   * @param wakes the stores an integration's changes reconcile
   */
  public static <S extends HasMetadata> StoreUsers<S> create(
      EventSourceContext<S> context,
      Class<S> storeType,
      Set<String> namespaces,
      Function<S3Integration, Optional<String>> countsFor,
      SecondaryToPrimaryMapper<S3Integration> wakes) {
    Map<String, InformerEventSource<S3Integration, S>> informers = new TreeMap<>();
    layout(namespaces)
        .forEach(
            (key, informerNamespaces) -> {
              InformerEventSource<S3Integration, S> users =
                  new InformerEventSource<>(
                      InformerEventSourceConfiguration.from(S3Integration.class, storeType)
                          .withName(ALL.equals(key) ? INDEX : INDEX + "-" + key)
                          .withNamespaces(informerNamespaces)
                          .withItemStore(new PrunedItemStore<>(StoreUsers::prune))
                          .withSecondaryToPrimaryMapper(wakes)
                          .build(),
                      context);
              users.addIndexers(
                  Map.of(INDEX, i -> countsFor.apply(i).map(List::of).orElse(List.of())));
              informers.put(key, users);
            });
    return new StoreUsers<>(Map.copyOf(informers));
  }

  /**
   * The namespaces of each informer, by its key: {@link #ALL} for one informer (all namespaces:
   * JOSDK's marker), else one per namespace.
   */
  static Map<String, Set<String>> layout(Set<String> namespaces) {
    if (namespaces.isEmpty()) {
      return Map.of(ALL, Constants.DEFAULT_NAMESPACES_SET);
    }
    if (namespaces.size() == 1) {
      return Map.of(ALL, Set.copyOf(namespaces));
    }
    Map<String, Set<String>> byNamespace = new TreeMap<>();
    namespaces.forEach(ns -> byNamespace.put(ns, Set.of(ns)));
    return byNamespace;
  }

  /** The event sources to register for the store controller. */
  public List<EventSource<?, S>> eventSources() {
    return List.copyOf(informers.values());
  }

  /**
   * The integrations that count for a store.
   *
   * @param store the store (its namespace picks the informer when there is one per namespace)
   * @param key the store's key, as {@code countsFor} gives it
   */
  public List<S3Integration> using(S store, String key) {
    InformerEventSource<S3Integration, S> users =
        informers.containsKey(ALL)
            ? informers.get(ALL)
            : informers.get(store.getMetadata().getNamespace()); // an S3Store's namespace
    return users == null ? List.of() : users.byIndex(INDEX, key);
  }

  /**
   * Drops all of an integration but what finds and names a store's users: the store reference and
   * the name, namespace, uid, resourceVersion, deletion mark and the operator's finalizer. With two
   * such views (S3Store and ClusterS3Store) beside the integration controller's own cache, full
   * copies cost three times the integrations' size in heap.
   */
  public static void prune(S3Integration i) {
    ObjectMeta m = i.getMetadata();
    if (m != null) {
      // empty, not null: JOSDK's event source reads the annotations of every update
      m.setAnnotations(Collections.emptyMap());
      m.setLabels(Collections.emptyMap());
      m.setOwnerReferences(null);
      // only the operator's: a deletion still cleaning up keeps its store (StoreCount)
      m.setFinalizers(
          m.getFinalizers() != null
                  && m.getFinalizers().contains(dev.integrations.s3.api.v1alpha1.ApiGroup.FINALIZER)
              ? new java.util.ArrayList<>(
                  List.of(dev.integrations.s3.api.v1alpha1.ApiGroup.FINALIZER))
              : null);
    }
    if (i.getSpec() != null) {
      S3IntegrationSpec kept = new S3IntegrationSpec();
      kept.setStoreRef(i.getSpec().getStoreRef());
      i.setSpec(kept);
    }
    i.setStatus(null);
    Interning.integration(i);
  }
}
