package dev.integrations.s3.controller.integration;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.controller.common.Events;
import dev.integrations.s3.controller.common.Leadership;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.common.StorageConnections;
import dev.integrations.s3.controller.integration.plan.Change;
import dev.integrations.s3.controller.integration.plan.Revocation;
import dev.integrations.s3.metrics.MetricNames;
import dev.integrations.s3.ownership.OwnershipRecord;
import dev.integrations.s3.ownership.OwnershipRecordSecret;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.storage.minio.MinioAdmin;
import dev.integrations.s3.store.ResolvedStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revocation driven by the operator's own records, not by the tenant's spec: every few seconds it
 * looks at each ownership record and does what {@link Revocation} asks, whatever the integration's
 * {@code paused} annotation, deletion policy or spec say. So narrowing a store's rules, removing a
 * namespace's label, switching an integration to another identity, or deleting an integration
 * without its clean-up (skip-cleanup, a finalizer removed by hand) takes the grants away from keys
 * a tenant already holds.
 *
 * <p>Quiet: a pass reads only the informers' caches. It reads the storage only for a record whose
 * inputs (the store's generation, the namespace's labels, the record, the integration's generation,
 * paused and deletion marks, whether its own reconcile applied the policy) changed since the record
 * was last found in order, and not even then for an integration whose own reconcile has applied its
 * policy for its current generation: that reconcile narrows on the same change. A store that fails
 * is left alone for a while; the pass goes on with the others. Runs on a thread of its own, so
 * reconcile threads never wait for it.
 */
final class RecordSweep extends SimpleInboundEventSource<S3Integration> {
  /** How often the caches are looked at (no call to anything when nothing changed). */
  static final Duration PERIOD = Duration.ofSeconds(5);

  /** How long the records of a store that failed are left alone: doubled per failure, to 10 min. */
  static final Duration STORE_BACKOFF = Duration.ofSeconds(30);

  static final Duration MAX_STORE_BACKOFF = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(RecordSweep.class);

  private final KubernetesClient client;
  private final OwnershipRecords records;
  private final IntegrationEventSources sources;
  private final StoreLookup stores;
  private final StorageConnections connections;
  private final Set<String> watchedNamespaces;
  private final Events events;
  private final MeterRegistry registry;
  private final Leadership leadership;

  /** Record name → the inputs it was last found in order with. */
  private final Map<String, String> inOrder = new ConcurrentHashMap<>();

  /** Store id → System.nanoTime() before which its records are not tried again. */
  private final Map<String, Long> storeBackoff = new ConcurrentHashMap<>();

  /** Store id → failures in a row. */
  private final Map<String, Integer> storeFailures = new ConcurrentHashMap<>();

  private volatile ScheduledExecutorService executor;

  RecordSweep(
      KubernetesClient client,
      OwnershipRecords records,
      IntegrationEventSources sources,
      StoreLookup stores,
      StorageConnections connections,
      Set<String> watchedNamespaces,
      Events events,
      MeterRegistry registry,
      Leadership leadership) {
    super("record-sweep");
    this.leadership = leadership;
    this.client = client;
    this.records = records;
    this.sources = sources;
    this.stores = stores;
    this.connections = connections;
    this.watchedNamespaces = Set.copyOf(watchedNamespaces);
    this.events = events;
    this.registry = registry;
  }

  @Override
  public synchronized void start() {
    super.start();
    if (executor == null) {
      executor =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "record-sweep");
                t.setDaemon(true);
                return t;
              });
      executor.scheduleWithFixedDelay(
          this::passSafely, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
    super.stop();
  }

  /** A pass soon (an integration changed its identity): its previous user loses its grants now. */
  void soon() {
    ScheduledExecutorService e = executor;
    if (e != null) {
      e.execute(this::passSafely);
    }
  }

  private void passSafely() {
    try {
      pass();
    } catch (RuntimeException e) {
      LOG.warn("revocation sweep failed: {}", e.toString());
    }
  }

  /** One look at every record. */
  void pass() {
    if (!leadership.leading()) {
      return; // a standby: the leader's sweep does this; it starts from scratch on taking over
    }
    if (!records.synced() || !sources.synced()) {
      return; // a missing label or integration is no evidence before the first list
    }
    Set<String> present = new HashSet<>();
    long now = System.nanoTime();
    for (Secret secret : records.all()) {
      Optional<OwnershipRecord> found = OwnershipRecordSecret.fromSecret(secret);
      if (found.isEmpty()) {
        continue;
      }
      OwnershipRecord record = found.get();
      String key = secret.getMetadata().getName();
      present.add(key);
      if (!watchedNamespaces.isEmpty()
          && !watchedNamespaces.contains(record.integrationNamespace())) {
        continue; // another shard's integration
      }
      String inconsistent = "inconsistent:" + secret.getMetadata().getResourceVersion();
      if (inconsistent.equals(inOrder.get(key))) {
        continue; // found forged before, and unchanged since
      }
      Long blockedUntil = storeBackoff.get(record.store());
      if (blockedUntil != null && now - blockedUntil < 0) {
        continue;
      }
      Optional<S3Integration> live =
          sources
              .integration(record.integrationNamespace(), record.integrationName())
              .filter(i -> record.ownedBy(i.getMetadata().getUid()));
      boolean attended = live.map(RecordSweep::attended).orElse(false);
      String inputs = inputs(secret, record, live, attended);
      if (inputs.equals(inOrder.get(key))) {
        continue;
      }
      // only for a record whose inputs changed: up to 33 derivations, some with SHA-256
      if (!Revocation.consistent(key, record)) {
        inOrder.put(key, inconsistent);
        LOG.warn(
            "ownership record {} does not match the user it names (not derived from its"
                + " integration's namespace and name, or stored under another name): left alone",
            key);
        continue;
      }
      try {
        if (!attended) {
          enforce(record, live);
        }
        inOrder.put(key, inputs);
        if (storeFailures.remove(record.store()) != null) {
          storeBackoff.remove(record.store());
        }
      } catch (StepFailure | StorageException | KubernetesClientException e) {
        int failures = storeFailures.merge(record.store(), 1, Integer::sum);
        Duration wait = STORE_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 5));
        wait = wait.compareTo(MAX_STORE_BACKOFF) > 0 ? MAX_STORE_BACKOFF : wait;
        storeBackoff.put(record.store(), now + wait.toNanos());
        LOG.info(
            "revocation of MinIO user {} on {} waits {} s: {}",
            record.user(),
            record.store(),
            wait.toSeconds(),
            e instanceof StepFailure f ? f.getMessage() : e.toString());
      }
    }
    inOrder.keySet().retainAll(present);
  }

  /**
   * Whether the integration's own reconcile keeps its grants within the store's rules: it is
   * neither paused nor being deleted, and applied its policy for its current generation.
   */
  private static boolean attended(S3Integration i) {
    Map<String, String> a = i.getMetadata().getAnnotations();
    if ((a != null && "true".equals(a.get(ApiGroup.PAUSED_ANNOTATION)))
        || i.getMetadata().getDeletionTimestamp() != null
        || i.getStatus() == null
        || !Objects.equals(
            i.getStatus().getObservedGeneration(), i.getMetadata().getGeneration())) {
      return false;
    }
    return Conditions.find(i.getStatus().getConditions(), ConditionTypes.POLICY_APPLIED)
        .map(c -> "True".equals(c.getStatus()))
        .orElse(false);
  }

  /** What a record's revocation depends on. */
  private String inputs(
      Secret secret, OwnershipRecord record, Optional<S3Integration> live, boolean attended) {
    return String.join(
        "|",
        secret.getMetadata().getResourceVersion(),
        Long.toString(stores.generation(record.store())),
        Integer.toString(sources.namespaceLabels(record.integrationNamespace()).hashCode()),
        live.map(
                i ->
                    i.getMetadata().getGeneration()
                        + "/"
                        + i.getMetadata().getAnnotations()
                        + "/"
                        + (i.getMetadata().getDeletionTimestamp() != null))
            .orElse("gone"),
        Boolean.toString(attended));
  }

  /** What {@link Revocation} asks for this record, carried out on its store. */
  private void enforce(OwnershipRecord record, Optional<S3Integration> live) {
    Optional<ResolvedStore> store = stores.byId(record.store());
    if (store.isEmpty() || !store.get().managed()) {
      return; // nothing to reach it with; a deletion reports the user left behind
    }
    Revocation.Standing standing = Revocation.standing(record, live, live.flatMap(stores::named));
    switch (standing) {
      case ORPHAN -> retireOrphan(record, store.get());
      case SWITCHED -> {
        MinioAdmin admin = connections.admin(store.get()).admin();
        if (detach(admin, record.user())) {
          count("detached");
          live.ifPresent(
              i ->
                  events.normal(
                      i,
                      "PreviousUserDetached",
                      "the integration uses another identity now: MinIO user "
                          + record.user()
                          + " on "
                          + record.store()
                          + " reads nothing from now on, and is removed once the new one works"));
        }
      }
      case HELD -> {
        MinioAdmin admin = connections.admin(store.get()).admin();
        Optional<Change> change =
            Revocation.narrowing(
                record,
                stores.access(store.get(), record.integrationNamespace()),
                admin.policy(record.policy()));
        if (change.isEmpty()) {
          return;
        }
        boolean written;
        String what;
        if (change.get() instanceof Change.PutPolicy put) {
          StepFailure.run(
              ConditionTypes.POLICY_APPLIED, () -> admin.putPolicy(put.name(), put.document()));
          written = true;
          what = "narrowed to what the store allows now";
          count("narrowed");
        } else {
          written = detach(admin, record.user());
          what = "detached: the store allows this namespace nothing of it now";
          if (written) {
            count("detached");
          }
        }
        if (written) {
          live.ifPresent(
              i -> {
                events.warning(
                    i,
                    "AccessRevoked",
                    "the policy of MinIO user " + record.user() + " was " + what);
                propagateEvent(ResourceID.fromResource(i)); // its status says so next
              });
        }
      }
    }
  }

  /**
   * Retires a record whose integration is gone, once the API server (not only the cache) confirms
   * that no integration of that name has its UID.
   */
  private void retireOrphan(OwnershipRecord record, ResolvedStore store) {
    S3Integration current =
        client
            .resources(S3Integration.class)
            .inNamespace(record.integrationNamespace())
            .withName(record.integrationName())
            .get();
    if (current != null && record.ownedBy(current.getMetadata().getUid())) {
      return; // the cache lagged; not an orphan
    }
    MinioAdmin admin = connections.admin(store).admin();
    for (Change change : Revocation.retire(record)) {
      IntegrationCleanup.carryOut(records, client, admin, record, change);
    }
    count("retired");
    LOG.info(
        "retired MinIO user {} on {}: its S3Integration {}/{} is gone",
        record.user(),
        record.store(),
        record.integrationNamespace(),
        record.integrationName());
  }

  /** Detaches the user's policies when it has any; whether it wrote. */
  private static boolean detach(MinioAdmin admin, String user) {
    Optional<MinioAdmin.MinioUser> found =
        StepFailure.in(ConditionTypes.POLICY_APPLIED, () -> admin.user(user));
    if (found.isEmpty() || found.get().policies().isEmpty()) {
      return false;
    }
    StepFailure.run(ConditionTypes.POLICY_APPLIED, () -> admin.detachAllPolicies(user));
    return true;
  }

  private void count(String action) {
    Counter.builder(MetricNames.REVOCATIONS)
        .description("Grants the revocation sweep took away, by what it did")
        .tag(MetricNames.ACTION, action)
        .register(registry)
        .increment();
  }
}
