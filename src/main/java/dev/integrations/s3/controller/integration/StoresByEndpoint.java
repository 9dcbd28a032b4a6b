package dev.integrations.s3.controller.integration;

import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreSpec;
import dev.integrations.s3.controller.integration.plan.UserNameOverlap;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.minio.MinioNames;
import dev.integrations.s3.store.ResolvedStore;
import dev.integrations.s3.store.StoreAccess;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The stores on one endpoint, from the caches (an index on host and port): what {@link
 * UserNameOverlap} compares an integration's user with, and which integrations a change of a store
 * or of a namespace's labels can bring into or out of an overlap. No API or storage call.
 */
final class StoresByEndpoint {
  static final String INDEX = "endpoint";

  private final IndexerResourceCache<S3Integration> primaries;
  private final IndexerResourceCache<ClusterS3Store> clusterStores;
  private final IndexerResourceCache<S3Store> stores;
  private final Function<String, Optional<Map<String, String>>> namespaceLabels;
  private final Supplier<Collection<String>> namespaceNames;

  /**
   * @param namespaceLabels the labels of a namespace, empty when there is none of that name
   */
  StoresByEndpoint(
      IndexerResourceCache<S3Integration> primaries,
      IndexerResourceCache<ClusterS3Store> clusterStores,
      IndexerResourceCache<S3Store> stores,
      Function<String, Optional<Map<String, String>>> namespaceLabels,
      Supplier<Collection<String>> namespaceNames) {
    this.primaries = primaries;
    this.clusterStores = clusterStores;
    this.stores = stores;
    this.namespaceLabels = namespaceLabels;
    this.namespaceNames = namespaceNames;
  }

  /**
   * The endpoint a store names: host in lower case and port, the scheme's default when none is
   * given, so {@code MINIO.storage} and {@code minio.storage:443} are one endpoint.
   */
  static String key(StoreSpec spec) {
    String host = spec.getEndpoint() == null ? "" : spec.getEndpoint().toLowerCase(Locale.ROOT);
    boolean tls = spec.getTls() == null || !Boolean.FALSE.equals(spec.getTls().getEnabled());
    int port = spec.getPort() != null ? spec.getPort() : tls ? 443 : 80;
    return host + ":" + port;
  }

  /** For the stores' index: its endpoint, if it has admin keys (only those create users). */
  static List<String> keys(StoreSpec spec) {
    return spec == null || spec.getAdmin() == null || spec.getAdmin().getSecretRef() == null
        ? List.of()
        : List.of(key(spec));
  }

  /** The stores with admin keys on this store's endpoint, itself included. */
  List<UserNameOverlap.Store> at(ResolvedStore store) {
    String key = key(store.spec());
    List<UserNameOverlap.Store> all = new ArrayList<>();
    clusterStores.byIndex(INDEX, key).forEach(s -> all.add(of(s)));
    stores.byIndex(INDEX, key).forEach(s -> all.add(of(s)));
    return all;
  }

  /** The namespaces there are, for a user name shaped like a hashed one. */
  Supplier<Collection<String>> namespaces() {
    return namespaceNames;
  }

  /**
   * A store as the rule sees it: a ClusterS3Store serves the namespaces that exist and its rules
   * select (what {@link StoreAccess} says), an S3Store its own namespace.
   */
  UserNameOverlap.Store of(HasMetadata s) {
    String created = s.getMetadata().getCreationTimestamp();
    created = created == null ? "" : created; // RFC 3339 in UTC: ordered as text
    if (s instanceof ClusterS3Store c) {
      StoreSpec spec = c.getSpec();
      return new UserNameOverlap.Store(
          ResolvedStore.id(StoreKind.ClusterS3Store, null, s.getMetadata().getName()),
          prefix(spec),
          created,
          ns ->
              namespaceLabels
                  .apply(ns)
                  .map(labels -> StoreAccess.of(StoreKind.ClusterS3Store, spec, labels).usable())
                  .orElse(false));
    }
    String own = s.getMetadata().getNamespace();
    return new UserNameOverlap.Store(
        ResolvedStore.id(StoreKind.S3Store, own, s.getMetadata().getName()),
        prefix(((S3Store) s).getSpec()),
        created,
        own::equals);
  }

  private static String prefix(StoreSpec spec) {
    return spec == null || spec.getAdmin() == null || spec.getAdmin().getUserPrefix() == null
        ? ""
        : spec.getAdmin().getUserPrefix();
  }

  /**
   * The integrations on other stores a change of this store concerns: every one waiting in
   * UserNameOverlap (the change may release it: the store is gone, moved, narrowed), and every
   * managed one on a newer store of its endpoint whose user it can derive now.
   */
  Set<ResourceID> concernedByStore(HasMetadata changed) {
    Set<ResourceID> ids = new HashSet<>();
    primaries.list().filter(StoresByEndpoint::waitsOnOverlap).forEach(i -> ids.add(id(i)));
    StoreSpec spec =
        changed instanceof ClusterS3Store c ? c.getSpec() : ((S3Store) changed).getSpec();
    if (keys(spec).isEmpty()) {
      return ids;
    }
    UserNameOverlap.Store t = of(changed);
    collide(t, UserNameOverlap.visible(t.userPrefix()), keys(spec).get(0), namespaceNames, ids);
    return ids;
  }

  /**
   * The integrations a change of a namespace (created, deleted, labelled) concerns: those on a
   * newer store whose user a ClusterS3Store on their endpoint derives for that namespace, whether
   * it serves it now or did before. S3Stores serve their own namespace, whatever its labels.
   */
  Set<ResourceID> concernedByNamespace(String namespace) {
    Set<ResourceID> ids = new HashSet<>();
    clusterStores
        .list()
        .filter(s -> !keys(s.getSpec()).isEmpty())
        .forEach(
            s -> {
              UserNameOverlap.Store t = of(s);
              UserNameOverlap.Store forThisNamespace =
                  new UserNameOverlap.Store(t.id(), t.userPrefix(), t.created(), namespace::equals);
              String start = UserNameOverlap.visible(t.userPrefix()) + namespace + ".";
              collide(
                  forThisNamespace, start, keys(s.getSpec()).get(0), () -> List.of(namespace), ids);
            });
    return ids;
  }

  /**
   * Adds the managed integrations of newer stores on the endpoint whose user {@code t} derives.
   * Names are derived only where their start can agree with {@code start}, how every name {@code t}
   * derives (for the namespace concerned) begins: a namespace event on an endpoint shared by {@code
   * ""} and {@code k8s.} looks at no integration unless the namespace starts with k8s.
   */
  private void collide(
      UserNameOverlap.Store t,
      String start,
      String endpoint,
      Supplier<? extends Collection<String>> namespaces,
      Set<ResourceID> ids) {
    List<HasMetadata> peers = new ArrayList<>(clusterStores.byIndex(INDEX, endpoint));
    peers.addAll(stores.byIndex(INDEX, endpoint));
    for (HasMetadata peer : peers) {
      UserNameOverlap.Store s = of(peer);
      String p = UserNameOverlap.visible(s.userPrefix());
      if (s.id().equals(t.id())
          || s.userPrefix().equals(t.userPrefix())
          || !s.newerThan(t)
          || !UserNameOverlap.mayShareStart(p, start)) {
        continue;
      }
      for (S3Integration i : primaries.byIndex(IntegrationEventSources.STORE_INDEX, s.id())) {
        String ns = i.getMetadata().getNamespace();
        String name = i.getMetadata().getName();
        if (managed(i) && UserNameOverlap.mayShareStart(p + ns + "." + name, start)) {
          String user = MinioNames.userName(s.userPrefix(), ns, name);
          if (UserNameOverlap.refusal(user, ns, name, s, List.of(t), namespaces).isPresent()) {
            ids.add(id(i));
          }
        }
      }
    }
  }

  private static boolean managed(S3Integration i) {
    return i.getSpec() != null
        && i.getSpec().getCredentials() != null
        && i.getSpec().getCredentials().getManaged() != null;
  }

  static boolean waitsOnOverlap(S3Integration i) {
    return i.getStatus() != null
        && Conditions.find(i.getStatus().getConditions(), ConditionTypes.READY)
            .map(c -> Reasons.USER_NAME_OVERLAP.equals(c.getReason()))
            .orElse(false);
  }

  private static ResourceID id(S3Integration i) {
    return ResourceID.fromResource(i);
  }
}
