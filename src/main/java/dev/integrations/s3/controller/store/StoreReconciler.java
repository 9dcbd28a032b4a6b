package dev.integrations.s3.controller.store;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreSpec;
import dev.integrations.s3.api.v1alpha1.StoreStatus;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.controller.common.Announcer;
import dev.integrations.s3.controller.common.ContainedErrors;
import dev.integrations.s3.controller.common.Events;
import dev.integrations.s3.controller.common.InputSecrets;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.common.StorageConnections;
import dev.integrations.s3.controller.common.TenantBulkhead;
import dev.integrations.s3.informers.NamespaceLabels;
import dev.integrations.s3.informers.StoreUsers;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.status.StatusAggregator;
import dev.integrations.s3.storage.minio.MinioAdminFactory;
import dev.integrations.s3.store.ResolvedStore;
import dev.integrations.s3.store.StoreSpecs;
import dev.integrations.s3.verify.AccessProber;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * ClusterS3Store and S3Store: checks that the storage answers and, with admin keys, that they
 * administer it ({@link StoreCheck}, standing for an interval: {@link PassedCheck}); counts the
 * integrations that use the store ({@link StoreCount}, read from {@link StoreUsers}); and keeps the
 * store while any does ({@link InUse}). Status is written only when it changed, a new count alone
 * at most every few seconds ({@link StatusWrite}). A tenant's S3Store is checked only with a permit
 * of the {@link TenantBulkhead}, and within a shorter time ({@link StoreCheck#TENANT_BUDGET}). See
 * DESIGN.md beside this class.
 */
abstract class StoreReconciler<S extends CustomResource<StoreSpec, StoreStatus>>
    implements Reconciler<S>, Cleaner<S> {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(StoreReconciler.class);

  /** The last passing check of each store; a failing check removes it. */
  private final Map<ResourceID, PassedCheck> passed = new ConcurrentHashMap<>();

  /** When each store's status was last written with nothing but a new count. */
  private final Map<ResourceID, Long> countWrittenAt = new ConcurrentHashMap<>();

  private final StoreKind kind;
  private final Class<S> type;
  private final OperatorConfig config;
  private final Conditions conditions;
  private final Events events;
  private final Announcer announcer;
  private final MinioAdminFactory adminFactory;
  private final AccessProber prober;

  /** Checks of tenants' S3Stores take a permit here, shared with the namespace's integrations. */
  private final TenantBulkhead tenantBulkhead;

  private volatile StoreUsers<S> users;
  private volatile StoreCheck check;
  private volatile Function<String, Map<String, String>> namespaceLabels = ns -> Map.of();

  StoreReconciler(
      StoreKind kind,
      Class<S> type,
      OperatorConfig config,
      Conditions conditions,
      Events events,
      MinioAdminFactory adminFactory,
      AccessProber prober,
      TenantBulkhead tenantBulkhead) {
    this.kind = kind;
    this.tenantBulkhead = tenantBulkhead;
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
    StorageConnections connections =
        new StorageConnections(new InputSecrets(context.getClient()), adminFactory);
    check = new StoreCheck(connections, prober);
    users =
        StoreUsers.create(
            context,
            type,
            StoreCount.namespaces(kind, config),
            StoreCount::countsFor,
            i -> StoreCount.wakes(kind, i));
    List<EventSource<?, S>> sources = new java.util.ArrayList<>(users.eventSources());
    if (kind == StoreKind.ClusterS3Store) {
      // which namespaces a ClusterS3Store serves follows their labels: a change recounts them all
      NamespaceLabels<S> labels =
          NamespaceLabels.create(
              context,
              type,
              "namespaces",
              n ->
                  context
                      .getPrimaryCache()
                      .list()
                      .map(ResourceID::fromResource)
                      .collect(java.util.stream.Collectors.toSet()));
      namespaceLabels = labels::of;
      sources.add(labels.eventSource());
    }
    return sources;
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

  /** The integrations that name the store and that it serves ({@link StoreCount#served}). */
  private List<S3Integration> users(S store) {
    return StoreCount.served(
        kind, store.getSpec(), users.using(store, resolved(store).id()), namespaceLabels);
  }

  @Override
  public UpdateControl<S> reconcile(S store, Context<S> context) {
    return ContainedErrors.call(() -> reconcileSteps(store, context));
  }

  private UpdateControl<S> reconcileSteps(S store, Context<S> context) {
    StoreStatus current = Optional.ofNullable(store.getStatus()).orElseGet(StoreStatus::new);
    Long generation = store.getMetadata().getGeneration();
    ResolvedStore resolved = resolved(store);
    StoreStatus desired = new StoreStatus();
    desired.setObservedGeneration(generation);
    desired.setIntegrations(users(store).size());
    desired.setEndpointURL(resolved.endpoint().url());
    StatusAggregator ready =
        new StatusAggregator(conditions, List.of(), current.getConditions(), generation);
    Duration nextCheck = config.defaultVerificationInterval();
    try {
      Optional<Duration> checked = checkUnlessStanding(store, resolved);
      if (checked.isEmpty()) {
        // a tenant's store whose turn has not come (TenantBulkhead): nothing is written
        // until it is checked, and no thread waits for it
        return UpdateControl.<S>noUpdate().rescheduleAfter(TenantBulkhead.retryDelay());
      }
      nextCheck = checked.get();
    } catch (StepFailure f) {
      passed.remove(ResourceID.fromResource(store));
      if (kind == StoreKind.S3Store && f.detailWithheld()) {
        // a tenant's store: the same answer for a closed, filtered or foreign port
        LOG.info(
            "S3Store {}/{}: {}: {}",
            store.getMetadata().getNamespace(),
            store.getMetadata().getName(),
            f.reason,
            f.getMessage());
        ready.blocked(ConditionTypes.READY, f.tenantReason(), f.tenantMessage());
      } else {
        ready.blocked(ConditionTypes.READY, f.reason, f.getMessage());
      }
    }
    desired.setConditions(
        ready.conditions(StoreCheck.passedReason(resolved), passedMessage(resolved)));
    return writeStatus(store, current, desired, nextCheck);
  }

  /**
   * Ready's message when the check passes, with what the spec allows but probably does not mean.
   */
  private static String passedMessage(ResolvedStore resolved) {
    List<String> warnings = StoreSpecs.warnings(resolved.spec());
    return StoreCheck.passedMessage(resolved)
        + (warnings.isEmpty() ? "" : "; warning: " + String.join("; ", warnings));
  }

  /**
   * Checks the store unless its last passing check still stands; the time to the next check, or
   * empty when a tenant's store must wait for a permit of {@link TenantBulkhead}.
   */
  private Optional<Duration> checkUnlessStanding(S store, ResolvedStore resolved) {
    List<String> problems = StoreSpecs.problems(kind, store.getSpec());
    if (!problems.isEmpty()) {
      throw StepFailure.permanent(
          ConditionTypes.READY, Reasons.INVALID_SPEC, String.join("; ", problems));
    }
    ResourceID id = ResourceID.fromResource(store);
    Long generation = store.getMetadata().getGeneration();
    Duration interval = config.defaultVerificationInterval();
    Optional<Duration> standing =
        PassedCheck.standsFor(passed.get(id), generation, interval, System.nanoTime());
    if (standing.isPresent()) {
      return standing; // no storage call
    }
    Optional<TenantBulkhead.Permit> permit = Optional.empty();
    if (kind == StoreKind.S3Store) {
      // a tenant's endpoint, maybe a slow one: its namespace's turn, shared with its integrations
      permit = tenantBulkhead.tryAcquire(resolved.namespace());
      if (permit.isEmpty()) {
        return Optional.empty();
      }
    }
    try {
      check.run(resolved);
    } finally {
      permit.ifPresent(TenantBulkhead.Permit::close);
    }
    passed.put(id, new PassedCheck(generation, System.nanoTime()));
    return Optional.of(interval);
  }

  private UpdateControl<S> writeStatus(
      S store, StoreStatus current, StoreStatus desired, Duration nextCheck) {
    ResourceID id = ResourceID.fromResource(store);
    long now = System.nanoTime();
    StatusWrite write = StatusWrite.decide(desired, current, countWrittenAt.get(id), now);
    if (write.when() == StatusWrite.When.UNCHANGED) {
      return UpdateControl.<S>noUpdate().rescheduleAfter(nextCheck);
    }
    if (write.when() == StatusWrite.When.COUNT_LATER) {
      return UpdateControl.<S>noUpdate().rescheduleAfter(write.delay());
    }
    if (write.when() == StatusWrite.When.COUNT_NOW) {
      countWrittenAt.put(id, now);
    }
    announcer.announce(store, current.getConditions(), desired.getConditions());
    store.setStatus(desired);
    return UpdateControl.patchStatus(store).rescheduleAfter(nextCheck);
  }

  @Override
  public DeleteControl cleanup(S store, Context<S> context) {
    return ContainedErrors.call(() -> cleanupSteps(store, context));
  }

  private DeleteControl cleanupSteps(S store, Context<S> context) {
    Optional<String> kept = InUse.keeps(users(store));
    if (kept.isEmpty()) {
      passed.remove(ResourceID.fromResource(store));
      countWrittenAt.remove(ResourceID.fromResource(store));
      return DeleteControl.defaultDelete();
    }
    events.warning(store, Reasons.STORE_IN_USE, kept.get());
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(InUse.IN_USE_WAIT.toMillis());
  }
}
