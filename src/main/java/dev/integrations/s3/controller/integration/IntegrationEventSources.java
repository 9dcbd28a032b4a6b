package dev.integrations.s3.controller.integration;

import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.PolicyRef;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationSpec;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.controller.integration.dependent.OutputSecretDependent;
import dev.integrations.s3.controller.integration.dependent.TrustStoreDependent;
import dev.integrations.s3.informers.InputSecretWatch;
import dev.integrations.s3.informers.PrunedItemStore;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.store.ResolvedStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What makes an S3Integration reconcile, besides its own changes: its S3AccessPolicies, its store
 * (ClusterS3Store or S3Store), its namespace's labels (allow rules select on them), its output
 * Secret (the dependent's informer, label-selected), the operator's records, the Secrets it or its
 * store is pointed at ({@link InputSecretWatch}, nothing cached) and, for the scope rule, the
 * namespace peers whose scope changed ({@link #triggerScopePeers}). Each informer is mapped to the
 * integrations concerned through an index of references.
 */
final class IntegrationEventSources {
  static final String POLICY_INDEX = "policy-refs";
  static final String STORE_INDEX = "store-refs";
  static final String CREDENTIALS_INDEX = "credentials-refs";
  static final String NAMESPACE_INDEX = Cache.NAMESPACE_INDEX;

  private final IndexerResourceCache<S3Integration> primaries;
  private final InformerEventSource<S3AccessPolicy, S3Integration> policies;
  private final InformerEventSource<ClusterS3Store, S3Integration> clusterStores;
  private final InformerEventSource<S3Store, S3Integration> stores;
  private final InformerEventSource<Namespace, S3Integration> namespaces;
  private final String operatorNamespace;
  private final SimpleInboundEventSource<S3Integration> scopePeers;
  private final StoresByEndpoint endpoints;
  private final List<EventSource<?, S3Integration>> all;

  IntegrationEventSources(
      EventSourceContext<S3Integration> context,
      OutputSecretDependent outputSecrets,
      TrustStoreDependent trustStores,
      OwnershipRecords records,
      Set<String> watchedNamespaces) {
    operatorNamespace = records.namespace();
    primaries = context.getPrimaryCache();
    primaries.addIndexer(POLICY_INDEX, IntegrationEventSources::policyKeys);
    primaries.addIndexer(STORE_INDEX, i -> ResolvedStore.idOf(i).map(List::of).orElse(List.of()));
    primaries.addIndexer(CREDENTIALS_INDEX, IntegrationEventSources::credentialsKeys);

    policies = policyInformer(context, watchedNamespaces);
    clusterStores = clusterStoreInformer(context);
    stores = storeInformer(context, watchedNamespaces);
    clusterStores.addIndexers(
        Map.of(StoresByEndpoint.INDEX, s -> StoresByEndpoint.keys(s.getSpec())));
    stores.addIndexers(Map.of(StoresByEndpoint.INDEX, s -> StoresByEndpoint.keys(s.getSpec())));
    namespaces = namespaceInformer(context);
    endpoints =
        new StoresByEndpoint(
            primaries,
            clusterStores,
            stores,
            ns -> namespaces.get(new ResourceID(ns)).map(IntegrationEventSources::labels),
            () -> namespaces.list().map(n -> n.getMetadata().getName()).toList());
    InputSecretWatch inputs = inputSecretWatch(context, watchedNamespaces);
    // Scope conflicts are re-checked when a peer's scope may have changed: the reconciler tells
    // the peers concerned (see triggerScopePeers). A second informer on S3Integration would cache
    // every integration twice and wake the whole namespace on any spec change.
    scopePeers = new SimpleInboundEventSource<>("scope-peers");
    all =
        List.of(
            policies,
            clusterStores,
            stores,
            namespaces,
            outputSecrets.informer(context),
            trustStores.informer(context),
            records.informer(context),
            inputs,
            scopePeers);
  }

  private InformerEventSource<S3AccessPolicy, S3Integration> policyInformer(
      EventSourceContext<S3Integration> context, Set<String> watchedNamespaces) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(S3AccessPolicy.class, S3Integration.class)
            .withName("policies")
            // the spec and the metadata the filter reads: integrations need no more of a policy
            .withItemStore(
                PrunedItemStore.ifOneInformer(
                    watchedNamespaces, PrunedItemStore::policiesForIntegrations))
            .withOnUpdateFilter(IntegrationEventSources::specOrDeletionChanged)
            .withSecondaryToPrimaryMapper(p -> referencing(POLICY_INDEX, key(p)))
            .withPrimaryToSecondaryMapper(
                (S3Integration i) ->
                    policyKeys(i).stream()
                        .map(IntegrationEventSources::id)
                        .collect(Collectors.toSet()))
            .build(),
        context);
  }

  private InformerEventSource<ClusterS3Store, S3Integration> clusterStoreInformer(
      EventSourceContext<S3Integration> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ClusterS3Store.class, S3Integration.class)
            .withName("cluster-stores")
            .withItemStore(new PrunedItemStore<>())
            .withOnUpdateFilter(IntegrationEventSources::specOrDeletionChanged)
            .withNamespaces(Constants.DEFAULT_NAMESPACES_SET)
            .withSecondaryToPrimaryMapper(
                s ->
                    withOverlaps(
                        referencing(
                            STORE_INDEX,
                            ResolvedStore.id(
                                StoreKind.ClusterS3Store, null, s.getMetadata().getName())),
                        s))
            .build(),
        context);
  }

  private InformerEventSource<S3Store, S3Integration> storeInformer(
      EventSourceContext<S3Integration> context, Set<String> watchedNamespaces) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(S3Store.class, S3Integration.class)
            .withName("stores")
            .withItemStore(PrunedItemStore.ifOneInformer(watchedNamespaces, PrunedItemStore::new))
            .withOnUpdateFilter(IntegrationEventSources::specOrDeletionChanged)
            .withSecondaryToPrimaryMapper(
                s ->
                    withOverlaps(
                        referencing(
                            STORE_INDEX,
                            ResolvedStore.id(
                                StoreKind.S3Store,
                                s.getMetadata().getNamespace(),
                                s.getMetadata().getName())),
                        s))
            .build(),
        context);
  }

  /**
   * A store's own integrations, and those on other stores of its endpoint whose user it may now
   * derive or no longer derive ({@link StoresByEndpoint#concernedByStore}).
   */
  private Set<ResourceID> withOverlaps(Set<ResourceID> own, HasMetadata store) {
    Set<ResourceID> ids = new HashSet<>(own);
    ids.addAll(endpoints.concernedByStore(store));
    return ids;
  }

  private static Map<String, String> labels(Namespace n) {
    Map<String, String> l = n.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }

  /** Allow rules select namespaces by label: a label change can grant or withdraw access. */
  private InformerEventSource<Namespace, S3Integration> namespaceInformer(
      EventSourceContext<S3Integration> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Namespace.class, S3Integration.class)
            .withName("namespaces")
            .withItemStore(new PrunedItemStore<>())
            .withNamespaces(Constants.DEFAULT_NAMESPACES_SET)
            .withOnUpdateFilter(
                (n, o) -> !Objects.equals(n.getMetadata().getLabels(), o.getMetadata().getLabels()))
            .withSecondaryToPrimaryMapper(
                n -> {
                  Set<ResourceID> ids =
                      new HashSet<>(referencing(NAMESPACE_INDEX, n.getMetadata().getName()));
                  ids.addAll(endpoints.concernedByNamespace(n.getMetadata().getName()));
                  return ids;
                })
            .build(),
        context);
  }

  /** The Secrets integrations and stores name, in the watched namespaces and the operator's. */
  private InputSecretWatch inputSecretWatch(
      EventSourceContext<S3Integration> context, Set<String> watchedNamespaces) {
    Set<String> secretNamespaces = new HashSet<>(watchedNamespaces);
    if (!secretNamespaces.isEmpty()) {
      secretNamespaces.add(operatorNamespace);
    }
    return new InputSecretWatch(
        context.getClient(),
        secretNamespaces,
        this::referencingSecret,
        () -> primaries.list().map(ResourceID::fromResource).collect(Collectors.toSet()));
  }

  List<EventSource<?, S3Integration>> all() {
    return all;
  }

  /**
   * Whether an update of a policy or store concerns its integrations: a new spec (generation) or
   * the start of its deletion. Their status never does (integrations read only the spec), and a
   * store's status changes with every integration it gains or loses: without this filter, each new
   * integration on a ClusterS3Store shared by thousands re-reconciled all of them.
   */
  static boolean specOrDeletionChanged(HasMetadata now, HasMetadata before) {
    return !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(
            now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp());
  }

  /** The S3AccessPolicy of that name in the integration's namespace, from the informer. */
  Optional<S3AccessPolicy> policy(S3Integration owner, String name) {
    return policies.get(new ResourceID(name, owner.getMetadata().getNamespace()));
  }

  /** The stores and namespace labels, for {@link StoreLookup}. */
  StoreLookup storeResolver() {
    return new StoreLookup(
        operatorNamespace,
        name -> clusterStores.get(new ResourceID(name)),
        (ns, name) -> stores.get(new ResourceID(name, ns)),
        this::namespaceLabels,
        endpoints);
  }

  /** The integration of this name, from the cache. */
  Optional<S3Integration> integration(String namespace, String name) {
    return primaries.get(new ResourceID(name, namespace));
  }

  /**
   * Whether every cache a revocation decides on has its first list: integrations, stores,
   * namespaces. Before that, a missing label or integration is not evidence of anything.
   */
  boolean synced() {
    return Stream.of(primaries, clusterStores, stores, namespaces)
        .allMatch(c -> c instanceof ManagedInformerEventSource<?, ?, ?> m && started(m));
  }

  /** Started (JOSDK starts an informer once its first list is in) and watching. */
  static boolean started(ManagedInformerEventSource<?, ?, ?> informer) {
    return informer.isRunning()
        && informer.getStatus() == io.javaoperatorsdk.operator.health.Status.HEALTHY;
  }

  /** The labels of the namespace (empty when it is gone). */
  Map<String, String> namespaceLabels(String namespace) {
    return namespaces
        .get(new ResourceID(namespace))
        .map(n -> n.getMetadata().getLabels())
        .map(l -> (Map<String, String>) l)
        .orElse(Map.of());
  }

  /** Whether the integration's namespace is being deleted. */
  boolean namespaceTerminating(S3Integration i) {
    return namespaces
        .get(new ResourceID(i.getMetadata().getNamespace()))
        .map(n -> n.getMetadata().getDeletionTimestamp() != null)
        .orElse(true);
  }

  /**
   * Re-checks the peers a change of this integration's scope (a new, edited or deleted integration)
   * can concern: those with the same scope, and those waiting in ScopeConflict (possibly on this
   * one's previous scope). Other integrations of the namespace are not woken.
   */
  void triggerScopePeers(S3Integration i) {
    String scope = i.getSpec() == null ? null : i.getSpec().getBucket();
    peers(i).stream()
        .filter(
            p ->
                (p.getSpec() != null && Objects.equals(p.getSpec().getBucket(), scope))
                    || waitsOnScope(p))
        .map(ResourceID::fromResource)
        .forEach(scopePeers::propagateEvent);
  }

  private static boolean waitsOnScope(S3Integration p) {
    return p.getStatus() != null
        && Conditions.find(p.getStatus().getConditions(), ConditionTypes.READY)
            .map(c -> Reasons.SCOPE_CONFLICT.equals(c.getReason()))
            .orElse(false);
  }

  /** The other integrations of the namespace. */
  List<S3Integration> peers(S3Integration i) {
    return primaries.byIndex(NAMESPACE_INDEX, i.getMetadata().getNamespace()).stream()
        .filter(p -> !Objects.equals(p.getMetadata().getUid(), i.getMetadata().getUid()))
        .toList();
  }

  /**
   * The integrations a Secret concerns: those naming it as their keys, and those whose store keeps
   * its admin keys or CA in it.
   */
  private Set<ResourceID> referencingSecret(String key) {
    int slash = key.indexOf('/');
    String ns = key.substring(0, slash);
    String name = key.substring(slash + 1);
    Stream<String> storeIds =
        Stream.concat(
            ns.equals(operatorNamespace)
                ? clusterStores
                    .list()
                    .filter(s -> usesSecret(s.getSpec(), name))
                    .map(
                        s ->
                            ResolvedStore.id(
                                StoreKind.ClusterS3Store, null, s.getMetadata().getName()))
                : Stream.empty(),
            stores
                .list(ns)
                .filter(s -> usesSecret(s.getSpec(), name))
                .map(s -> ResolvedStore.id(StoreKind.S3Store, ns, s.getMetadata().getName())));
    Set<ResourceID> ids = new HashSet<>(referencing(CREDENTIALS_INDEX, key));
    storeIds.forEach(id -> ids.addAll(referencing(STORE_INDEX, id)));
    return ids;
  }

  private static boolean usesSecret(dev.integrations.s3.api.v1alpha1.StoreSpec spec, String name) {
    if (spec == null) {
      return false;
    }
    boolean admin =
        spec.getAdmin() != null
            && spec.getAdmin().getSecretRef() != null
            && name.equals(spec.getAdmin().getSecretRef().getName());
    boolean ca =
        spec.getTls() != null
            && spec.getTls().getCaSecretRef() != null
            && name.equals(spec.getTls().getCaSecretRef().getName());
    return admin || ca;
  }

  private Set<ResourceID> referencing(String index, String key) {
    return primaries.byIndex(index, key).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  static List<String> policyKeys(S3Integration i) {
    if (i.getSpec() == null || i.getSpec().getAccessPolicyRefs() == null) {
      return List.of();
    }
    return i.getSpec().getAccessPolicyRefs().stream()
        .map(PolicyRef::getName)
        .filter(Objects::nonNull)
        .map(n -> i.getMetadata().getNamespace() + "/" + n)
        .distinct()
        .toList();
  }

  /** The tenant's own keys (validate-only mode). */
  static List<String> credentialsKeys(S3Integration i) {
    S3IntegrationSpec s = i.getSpec();
    if (s == null
        || s.getCredentials() == null
        || s.getCredentials().getSecretRef() == null
        || s.getCredentials().getSecretRef().getName() == null) {
      return List.of();
    }
    return List.of(
        i.getMetadata().getNamespace() + "/" + s.getCredentials().getSecretRef().getName());
  }

  private static String key(HasMetadata m) {
    return m.getMetadata().getNamespace() + "/" + m.getMetadata().getName();
  }

  private static ResourceID id(String key) {
    int slash = key.indexOf('/');
    return new ResourceID(key.substring(slash + 1), key.substring(0, slash));
  }
}
