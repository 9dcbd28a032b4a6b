package dev.integrations.s3.controller.store;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationSpec;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreSpec;
import dev.integrations.s3.api.v1alpha1.StoreStatus;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.controller.common.Announcer;
import dev.integrations.s3.controller.common.Events;
import dev.integrations.s3.controller.common.InputSecrets;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.common.StorageConnections;
import dev.integrations.s3.informers.Interning;
import dev.integrations.s3.informers.PrunedItemStore;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.status.StatusAggregator;
import dev.integrations.s3.status.Statuses;
import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.storage.minio.MinioAdminFactory;
import dev.integrations.s3.store.ResolvedStore;
import dev.integrations.s3.store.StoreSpecs;
import dev.integrations.s3.verify.AccessProber;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ClusterS3Store and S3Store: checks that the storage answers and, with admin keys, that they
 * administer it; counts the integrations that use the store; and keeps the store (a finalizer)
 * while any does, like COSI's protection finalizers. Status is written only when it changed.
 */
abstract class StoreReconciler<S extends CustomResource<StoreSpec, StoreStatus>>
    implements Reconciler<S>, Cleaner<S> {
  private static final String USERS_INDEX = "store-users";

  /** Integrations going away reconcile the store at once; this is only the fallback. */
  private static final long IN_USE_WAIT = Duration.ofMinutes(2).toMillis();

  /**
   * The shortest time between two status writes that change only the count of integrations: a store
   * shared by thousands would otherwise write its status once per integration added.
   */
  static final Duration COUNT_WRITE_SPACING = Duration.ofSeconds(5);

  /**
   * The last passing check of each store, with the generation it checked: reused until the
   * verification interval has passed or the spec changes, so that integrations coming and going
   * (which reconcile the store to count them) cost no storage calls. A failing check is never
   * reused: every reconcile tries again.
   */
  private final Map<ResourceID, Passed> passed = new java.util.concurrent.ConcurrentHashMap<>();

  /** When each store's status was last written with nothing but a new count. */
  private final Map<ResourceID, Long> countWrittenAt =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record Passed(Long generation, long atNanos) {}

  private final StoreKind kind;
  private final Class<S> type;
  private final OperatorConfig config;
  private final Conditions conditions;
  private final Events events;
  private final Announcer announcer;
  private final MinioAdminFactory adminFactory;
  private final AccessProber prober;

  /** Key of the one informer of users when a single one serves every watched namespace. */
  private static final String ALL = "";

  /** The informers of the stores' users: one, or one per watched namespace. */
  private volatile Map<String, InformerEventSource<S3Integration, S>> integrations;

  private volatile StorageConnections connections;

  StoreReconciler(
      StoreKind kind,
      Class<S> type,
      OperatorConfig config,
      Conditions conditions,
      Events events,
      MinioAdminFactory adminFactory,
      AccessProber prober) {
    this.kind = kind;
    this.type = type;
    this.config = config;
    this.conditions = conditions;
    this.events = events;
    this.announcer = new Announcer(events);
    this.adminFactory = adminFactory;
    this.prober = prober;
  }

  @Override
  public List<EventSource<?, S>> prepareEventSources(EventSourceContext<S> context) {
    connections = new StorageConnections(new InputSecrets(context.getClient()), adminFactory);
    if (kind == StoreKind.ClusterS3Store || config.watchNamespaces().size() <= 1) {
      // Every integration in the cluster that names a ClusterS3Store counts and keeps it,
      // whichever operator serves it: with shards (disjoint WATCH_NAMESPACES, one
      // CLUSTER_STORE_CONTROLLER), a view of this release's namespaces alone would let a store in
      // use elsewhere go. An S3Store's users are in its own namespace.
      Set<String> namespaces =
          kind == StoreKind.ClusterS3Store || config.watchesAllNamespaces()
              ? io.javaoperatorsdk.operator.api.reconciler.Constants.DEFAULT_NAMESPACES_SET
              : config.watchNamespaces();
      integrations = Map.of(ALL, users(context, "store-users", namespaces));
    } else {
      // One informer per namespace, each with a pruned cache of its own (JOSDK would give one
      // event source over several namespaces a single, shared cache: see PrunedItemStore).
      Map<String, InformerEventSource<S3Integration, S>> byNamespace = new java.util.TreeMap<>();
      for (String ns : config.watchNamespaces()) {
        byNamespace.put(ns, users(context, "store-users-" + ns, Set.of(ns)));
      }
      integrations = Map.copyOf(byNamespace);
    }
    return List.copyOf(integrations.values());
  }

  /** An informer of the integrations in these namespaces, indexed by the store they use. */
  private InformerEventSource<S3Integration, S> users(
      EventSourceContext<S> context, String name, Set<String> namespaces) {
    InformerEventSource<S3Integration, S> users =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(S3Integration.class, type)
                .withName(name)
                .withNamespaces(namespaces)
                // A store needs to know only which integrations use it: its cache keeps nothing
                // else.
                .withItemStore(new PrunedItemStore<>(StoreReconciler::keepStoreUse))
                .withSecondaryToPrimaryMapper(
                    i ->
                        ResolvedStore.idOf(i).flatMap(this::storeId).stream()
                            .collect(Collectors.toSet()))
                .build(),
            context);
    users.addIndexers(
        Map.of(
            USERS_INDEX,
            i ->
                i.getMetadata().getDeletionTimestamp() == null
                    ? ResolvedStore.idOf(i).map(List::of).orElse(List.of())
                    : List.of()));
    return users;
  }

  /**
   * Drops all of an integration but what finds and names a store's users: the store reference and
   * the name, namespace, uid, resourceVersion and deletion mark. With two such caches (S3Store and
   * ClusterS3Store) beside the integration controller's own, full copies cost three times the
   * integrations' size in heap.
   */
  static void keepStoreUse(S3Integration i) {
    ObjectMeta m = i.getMetadata();
    if (m != null) {
      // empty, not null: JOSDK's event source reads the annotations of every update
      m.setAnnotations(java.util.Collections.emptyMap());
      m.setLabels(java.util.Collections.emptyMap());
      m.setOwnerReferences(null);
      m.setFinalizers(null);
    }
    if (i.getSpec() != null) {
      S3IntegrationSpec kept = new S3IntegrationSpec();
      kept.setStoreRef(i.getSpec().getStoreRef());
      i.setSpec(kept);
    }
    i.setStatus(null);
    Interning.integration(i);
  }

  /** The store's primary id for an integration's store key, when it is a store of this kind. */
  private Optional<ResourceID> storeId(String key) {
    String[] parts = key.split("/");
    if (!parts[0].equals(kind.name())) {
      return Optional.empty();
    }
    return Optional.of(
        kind == StoreKind.ClusterS3Store
            ? new ResourceID(parts[1])
            : new ResourceID(parts[2], parts[1]));
  }

  private ResolvedStore resolved(S store) {
    String ns = store.getMetadata().getNamespace();
    return new ResolvedStore(
        kind,
        store.getMetadata().getName(),
        ns,
        store.getSpec(),
        kind == StoreKind.ClusterS3Store ? config.operatorNamespace() : ns);
  }

  private List<S3Integration> users(S store) {
    ResolvedStore r = resolved(store);
    InformerEventSource<S3Integration, S> users =
        integrations.containsKey(ALL)
            ? integrations.get(ALL)
            : integrations.get(store.getMetadata().getNamespace()); // an S3Store's namespace
    return users == null ? List.of() : users.byIndex(USERS_INDEX, r.id());
  }

  @Override
  public UpdateControl<S> reconcile(S store, Context<S> context) {
    StoreStatus current = Optional.ofNullable(store.getStatus()).orElseGet(StoreStatus::new);
    StoreStatus desired = new StoreStatus();
    Long generation = store.getMetadata().getGeneration();
    desired.setObservedGeneration(generation);
    desired.setIntegrations(users(store).size());
    StatusAggregator ready =
        new StatusAggregator(conditions, List.of(), current.getConditions(), generation);
    String readyMessage;
    String readyReason;
    ResolvedStore resolved = resolved(store);
    desired.setEndpointURL(resolved.endpoint().url());
    readyReason = resolved.managed() ? Reasons.ADMIN_READY : Reasons.REACHABLE;
    readyMessage =
        resolved.managed()
            ? "the admin keys administer " + resolved.endpoint().url()
            : resolved.endpoint().url()
                + " answers (validate-only: integrations bring their own keys)";
    ResourceID id = ResourceID.fromResource(store);
    Duration interval = config.defaultVerificationInterval();
    Duration nextCheck = interval;
    try {
      List<String> problems = StoreSpecs.problems(kind, store.getSpec());
      if (!problems.isEmpty()) {
        throw StepFailure.permanent(
            ConditionTypes.READY, Reasons.INVALID_SPEC, String.join("; ", problems));
      }
      Passed last = passed.get(id);
      Duration age = last == null ? null : Duration.ofNanos(System.nanoTime() - last.atNanos());
      if (last != null
          && java.util.Objects.equals(last.generation(), generation)
          && age.compareTo(interval) < 0) {
        nextCheck = interval.minus(age); // the check still stands: no storage call
      } else {
        check(resolved);
        passed.put(id, new Passed(generation, System.nanoTime()));
      }
    } catch (StepFailure f) {
      passed.remove(id);
      ready.blocked(ConditionTypes.READY, f.reason, f.getMessage());
    }
    desired.setConditions(ready.conditions(readyReason, readyMessage));
    if (Statuses.same(desired, current)) {
      return UpdateControl.<S>noUpdate().rescheduleAfter(nextCheck);
    }
    if (onlyCountDiffers(desired, current)) {
      Duration wait = countWait(id);
      if (!wait.isZero()) {
        // a count only, written moments ago: the next write carries the count as it is then
        return UpdateControl.<S>noUpdate().rescheduleAfter(wait);
      }
      countWrittenAt.put(id, System.nanoTime());
    }
    announcer.announce(store, current.getConditions(), desired.getConditions());
    store.setStatus(desired);
    return UpdateControl.patchStatus(store).rescheduleAfter(nextCheck);
  }

  private static boolean onlyCountDiffers(StoreStatus desired, StoreStatus current) {
    StoreStatus counted = Statuses.copy(desired, StoreStatus.class);
    counted.setIntegrations(current.getIntegrations());
    return Statuses.same(counted, current);
  }

  /** How long until a count-only write is due again for this store (zero: now). */
  private Duration countWait(ResourceID id) {
    Long at = countWrittenAt.get(id);
    Duration left =
        at == null
            ? Duration.ZERO
            : COUNT_WRITE_SPACING.minus(Duration.ofNanos(System.nanoTime() - at));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Reachable, and with admin keys: they administer the storage. */
  private void check(ResolvedStore store) {
    if (store.managed()) {
      StorageConnections.Connection c = connections.admin(store);
      StepFailure.in(ConditionTypes.READY, () -> c.admin().user(c.keys().accessKey()));
    } else {
      StorageConnections.Connection c = connections.endpoint(store);
      try {
        prober.reach(c.endpoint());
      } catch (StorageException e) {
        throw StepFailure.of(ConditionTypes.READY, e);
      }
    }
  }

  @Override
  public DeleteControl cleanup(S store, Context<S> context) {
    List<S3Integration> users = users(store);
    if (users.isEmpty()) {
      passed.remove(ResourceID.fromResource(store));
      countWrittenAt.remove(ResourceID.fromResource(store));
      return DeleteControl.defaultDelete();
    }
    events.warning(
        store,
        Reasons.STORE_IN_USE,
        "deletion waits: "
            + users.size()
            + " S3Integration(s) use this store ("
            + users.stream()
                .limit(5)
                .map(i -> i.getMetadata().getNamespace() + "/" + i.getMetadata().getName())
                .collect(Collectors.joining(", "))
            + (users.size() > 5 ? ", ..." : "")
            + "); delete them or point them at another store first");
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(IN_USE_WAIT);
  }
}
