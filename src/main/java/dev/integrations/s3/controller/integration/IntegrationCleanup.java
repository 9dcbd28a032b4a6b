package dev.integrations.s3.controller.integration;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.controller.common.Applied;
import dev.integrations.s3.controller.common.Events;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.common.StorageConnections;
import dev.integrations.s3.controller.common.TenantBulkhead;
import dev.integrations.s3.controller.integration.plan.Change;
import dev.integrations.s3.controller.integration.plan.Decider;
import dev.integrations.s3.metrics.MetricNames;
import dev.integrations.s3.ownership.OwnershipRecord;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.minio.MinioAdmin;
import dev.integrations.s3.store.ResolvedStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deletion of an S3Integration: for each record it owns, what {@link Decider#cleanup} asks for, on
 * the store the record names. It needs only the store and the record, never the tenant's namespace
 * or Secrets, so a namespace deletion finishes. A store that is gone (or a namespaced store whose
 * namespace is being deleted with its admin Secret) releases the deletion with a Warning Event and
 * a metric naming the user left behind; an unreachable store retries with backoff; the skip-cleanup
 * annotation releases the deletion without waiting for the storage, and {@link RecordSweep} retires
 * the orphaned records later. A deletion with a record on a tenant's S3Store takes a permit of the
 * {@link TenantBulkhead}, like the integration's reconciles, or waits its turn without a thread.
 */
final class IntegrationCleanup {
  /** How long a waiting deletion (paused, or a store it cannot clean up) waits to look again. */
  private static final long WAIT = Duration.ofMinutes(1).toMillis();

  private final StoreLookup stores;
  private final StorageConnections connections;
  private final IntegrationEventSources sources;
  private final OwnershipRecords records;
  private final Events events;
  private final Reporter reporter;
  private final MeterRegistry registry;
  private final TenantBulkhead tenantBulkhead;

  /**
   * @param stores finds the store a record names
   * @param connections the admin connection to it
   * @param sources whether the integration's namespace is being deleted
   * @param tenantBulkhead the permits of work on tenants' own stores, deletions included
   */
  IntegrationCleanup(
      StoreLookup stores,
      StorageConnections connections,
      IntegrationEventSources sources,
      OwnershipRecords records,
      Events events,
      Reporter reporter,
      MeterRegistry registry,
      TenantBulkhead tenantBulkhead) {
    this.stores = stores;
    this.tenantBulkhead = tenantBulkhead;
    this.connections = connections;
    this.sources = sources;
    this.records = records;
    this.events = events;
    this.reporter = reporter;
    this.registry = registry;
  }

  /** Deletion of the integration: every record it owns is retired; reported as it is written. */
  DeleteControl cleanup(S3Integration resource, KubernetesClient client) {
    Map<String, String> annotations =
        resource.getMetadata().getAnnotations() == null
            ? Map.of()
            : resource.getMetadata().getAnnotations();
    List<OwnershipRecord> owned = records.ownedBy(resource.getMetadata().getUid());
    if ("true".equals(annotations.get(ApiGroup.SKIP_CLEANUP_ANNOTATION))) {
      // The deletion is released now; the records stay, and once they are orphans the revocation
      // sweep (RecordSweep) retires their users when their store can be reached: skipping the
      // clean-up never leaves keys that still read.
      events.normal(
          resource,
          "CleanupSkipped",
          "skip-cleanup annotation set: deletion released without waiting for the storage; the"
              + " operator removes the MinIO user"
              + (owned.size() == 1 ? "" : "s")
              + " when the store can be reached");
      return DeleteControl.defaultDelete();
    }
    if (owned.isEmpty()) {
      return DeleteControl.defaultDelete();
    }
    if ("true".equals(annotations.get(ApiGroup.PAUSED_ANNOTATION))) {
      events.warning(
          resource,
          Reasons.PAUSED,
          "deletion waits: the resource is paused; remove the paused annotation or set"
              + " s3.integrations.dev/skip-cleanup: \"true\"");
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(WAIT);
    }
    Optional<TenantBulkhead.Permit> permit = Optional.empty();
    if (owned.stream().anyMatch(this::onATenantsStore)) {
      // a tenant's store may be a slow "S3" server: its deletions take turns with its other work
      permit = tenantBulkhead.tryAcquire(resource.getMetadata().getNamespace());
      if (permit.isEmpty()) {
        return DeleteControl.noFinalizerRemoval()
            .rescheduleAfter(TenantBulkhead.retryDelay().toMillis());
      }
    }
    try {
      return retireAll(new Run(resource, client), owned);
    } finally {
      permit.ifPresent(TenantBulkhead.Permit::close);
    }
  }

  /** Whether the record names an S3Store that is still there (the integration's namespace's). */
  private boolean onATenantsStore(OwnershipRecord record) {
    return stores.byId(record.store()).filter(s -> s.kind() == StoreKind.S3Store).isPresent();
  }

  private DeleteControl retireAll(Run run, List<OwnershipRecord> owned) {
    try {
      for (OwnershipRecord record : owned) {
        Optional<StepFailure> waiting = run.retire(record);
        if (waiting.isPresent()) {
          waits(run.resource, waiting.get(), record, "fix it, or set");
          return DeleteControl.noFinalizerRemoval().rescheduleAfter(WAIT);
        }
      }
    } catch (StepFailure f) {
      // The SDK retries the clean-up with backoff; say why deletion waits.
      events.warning(
          run.resource,
          f.reason,
          "cannot clean up yet: "
              + f.tenantMessage()
              + "; retrying with backoff (s3.integrations.dev/skip-cleanup: \"true\" releases the"
              + " deletion now; the user is removed once the store can be reached)");
      throw f;
    } finally {
      reporter.applied(run.resource, run.written);
    }
    return DeleteControl.defaultDelete();
  }

  /**
   * After an identity change (another store, another user name, or managed → validate-only): the
   * integration's other records are retired as a deletion would, once the new identity is in place,
   * so the previous user does not stay enabled with keys consumers already hold. A previous store
   * that cannot be reached keeps its record, and is tried again at the next reconcile.
   *
   * @param store the store in use
   * @param user the managed user in use (null: none, validate-only)
   * @return what was written, for the caller to report with its own writes
   */
  List<Applied> retireStale(
      S3Integration resource, KubernetesClient client, String store, String user) {
    Run run = new Run(resource, client);
    try {
      for (OwnershipRecord record : records.ownedBy(resource.getMetadata().getUid())) {
        if (record.store().equals(store) && record.user().equals(user)) {
          continue;
        }
        run.retire(record)
            .ifPresent(f -> waits(resource, f, record, "it is tried again later; or set"));
      }
    } catch (StepFailure f) {
      events.warning(
          resource, f.reason, "cannot remove the previous MinIO user yet: " + f.tenantMessage());
    } catch (RuntimeException e) {
      reporter.applied(resource, run.written); // what was written is reported all the same
      throw e;
    }
    return run.written;
  }

  /** One clean-up of one integration, and what it wrote so far (even when a write then fails). */
  private final class Run {
    private final S3Integration resource;
    private final KubernetesClient client;
    private final List<Applied> written = new ArrayList<>();

    Run(S3Integration resource, KubernetesClient client) {
      this.resource = resource;
      this.client = client;
    }

    /**
     * Removes what one record names, as {@link Decider#cleanup} asks, then the record.
     *
     * @return why the store cannot be reached (the record stays), or empty when done
     */
    Optional<StepFailure> retire(OwnershipRecord record) {
      List<Change> changes = Decider.cleanup(resource, record);
      MinioAdmin admin = null;
      if (changes.stream().anyMatch(a -> !(a instanceof Change.DeleteRecord))) {
        Optional<ResolvedStore> store = stores.byId(record.store());
        if (store.isEmpty() || !store.get().managed()) {
          leftBehind(resource, record, record.store() + " is gone");
          written.add(records.delete(client, record));
          return Optional.empty();
        }
        try {
          admin = connections.admin(store.get()).admin();
        } catch (StepFailure f) {
          if (store.get().kind() == StoreKind.S3Store && sources.namespaceTerminating(resource)) {
            leftBehind(resource, record, f.tenantMessage() + " (the namespace is being deleted)");
            written.add(records.delete(client, record));
            return Optional.empty();
          }
          return Optional.of(f);
        }
      }
      for (Change change : changes) {
        written.add(carryOut(records, client, admin, record, change));
      }
      return Optional.empty();
    }
  }

  /**
   * One change of a record's retirement: the record itself is deleted through {@code records}, the
   * rest on the storage. Deletions and the revocation sweep ({@link RecordSweep}) both retire so.
   */
  static Applied carryOut(
      OwnershipRecords records,
      KubernetesClient client,
      MinioAdmin admin,
      OwnershipRecord record,
      Change change) {
    return change instanceof Change.DeleteRecord
        ? records.delete(client, record)
        : MinioUserApplier.handles(change)
            ? MinioUserApplier.apply(admin, change)
            : MinioPolicyApplier.apply(admin, change);
  }

  private void leftBehind(S3Integration resource, OwnershipRecord record, String why) {
    events.warning(
        resource,
        "UserLeftBehind",
        "MinIO user "
            + record.user()
            + " and policy "
            + record.policy()
            + " are left on "
            + record.store()
            + ": "
            + why);
    Counter.builder(MetricNames.USERS_LEFT_BEHIND)
        .description("Managed users a deletion had to leave on a store that was gone")
        // no user label: /metrics would list tenants' user names, one series per name a tenant can
        // make up (issue 21, item 9); the Warning Event above names the user
        .tag(MetricNames.STORE, record.store())
        .register(registry)
        .increment();
  }

  /** Says why the deletion waits and how to release it. */
  private void waits(S3Integration resource, StepFailure f, OwnershipRecord r, String remedy) {
    events.warning(
        resource,
        f.reason,
        "cannot clean up MinIO user "
            + r.user()
            + ": "
            + f.tenantMessage()
            + "; "
            + remedy
            + " s3.integrations.dev/skip-cleanup: \"true\" to release the deletion now (the user is"
            + " removed once the store can be reached)");
  }
}
