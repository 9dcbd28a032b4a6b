package dev.integrations.s3.controller.integration;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.BucketStatus;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.controller.common.Announcer;
import dev.integrations.s3.controller.common.ContainedErrors;
import dev.integrations.s3.controller.common.Events;
import dev.integrations.s3.controller.common.Failures;
import dev.integrations.s3.controller.common.InputSecrets;
import dev.integrations.s3.controller.common.Leadership;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.common.StorageConnections;
import dev.integrations.s3.controller.common.TenantBulkhead;
import dev.integrations.s3.controller.integration.dependent.OutputSecretDependent;
import dev.integrations.s3.controller.integration.dependent.SecretFights;
import dev.integrations.s3.controller.integration.dependent.TrustStoreDependent;
import dev.integrations.s3.controller.integration.plan.Decider;
import dev.integrations.s3.controller.integration.plan.Decision;
import dev.integrations.s3.controller.integration.plan.IntegrationModel;
import dev.integrations.s3.controller.integration.plan.Observation;
import dev.integrations.s3.controller.integration.plan.ScopeRule;
import dev.integrations.s3.controller.integration.plan.VerificationSchedule;
import dev.integrations.s3.informers.SpecOrAnnotationsChanged;
import dev.integrations.s3.metrics.KeyAges;
import dev.integrations.s3.ownership.OwnershipRecord;
import dev.integrations.s3.secret.SecretKeys;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.status.Statuses;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.minio.MinioAdminFactory;
import dev.integrations.s3.store.ResolvedStore;
import dev.integrations.s3.verify.AccessProber;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an S3Integration into a working, verified connection. A thin coordinator of one reconcile:
 * {@link IntegrationModel} (what is wanted) → {@link Observer} (what is there: reads only) → {@link
 * Decider} (pure: a conflict or the writes in order) → appliers (the output Secret, the MinIO user,
 * the MinIO policy) → {@link Verifier} → {@link IntegrationStatus}. See DESIGN.md beside this
 * class.
 *
 * <p>Permanent problems end in Ready=False and wait for an input change or the next verification;
 * transient storage failures are retried with backoff (without limit); Kubernetes API conflicts and
 * server errors are retried without touching the status, since consumers do not feel them.
 */
@ControllerConfiguration(
    name = S3IntegrationReconciler.NAME,
    finalizerName = ApiGroup.FINALIZER,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = SpecOrAnnotationsChanged.class))
@GradualRetry(
    maxAttempts = -1,
    initialInterval = 2000,
    intervalMultiplier = 2,
    maxInterval = 120_000)
public class S3IntegrationReconciler implements Reconciler<S3Integration>, Cleaner<S3Integration> {
  public static final String NAME = "s3integration";

  /**
   * How long one reconcile may take before it gives up and retries later: a storage that answers
   * slowly holds a reconcile thread for this long at most (plus one call's timeout), never for
   * hours, so integrations on other storage keep their threads.
   */
  static final Duration BUDGET = Duration.ofMinutes(2);

  /** The reconcile budget on a tenant's own S3Store. */
  static final Duration TENANT_STORE_BUDGET = Duration.ofSeconds(30);

  /**
   * Reconciles of integrations on tenants' own S3Stores take a permit here, shared with the
   * namespace's S3Store checks; the others wait their turn without holding a thread.
   */
  private final TenantBulkhead tenantBulkhead;

  private static final Logger LOG = LoggerFactory.getLogger(S3IntegrationReconciler.class);

  private final OperatorConfig config;
  private final Conditions conditions;
  private final Announcer announcer;
  private final Reporter reporter;
  private final MinioAdminFactory adminFactory;
  private final AccessProber prober;
  private final Verifier verifier;
  private final Clock clock;
  private final SecretFights fights;
  private final KeyAges keyAges;
  private final OutputSecretDependent outputSecrets;
  private final TrustStoreDependent trustStores;
  private final Events events;
  private final MeterRegistry registry;
  private final VerificationClock verifications = new VerificationClock();
  private final OwnershipRecords records;
  private volatile IntegrationEventSources sources;
  private volatile StoreLookup stores;
  private volatile Observer observer;
  private volatile StorageConnections connections;
  private volatile IntegrationCleanup cleanup;
  private volatile PlanApplier applier;
  private volatile RecordSweep sweep;
  private final Leadership leadership;

  public S3IntegrationReconciler(
      OperatorConfig config,
      Conditions conditions,
      Events events,
      MinioAdminFactory adminFactory,
      AccessProber prober,
      Clock clock,
      MeterRegistry registry,
      TenantBulkhead tenantBulkhead,
      Leadership leadership) {
    this.config = config;
    this.leadership = leadership;
    this.tenantBulkhead = tenantBulkhead;
    this.conditions = conditions;
    this.clock = clock;
    this.events = events;
    this.registry = registry;
    this.fights = new SecretFights(clock);
    this.keyAges = new KeyAges(registry, clock);
    this.outputSecrets = new OutputSecretDependent(fights, config.watchNamespaces());
    this.trustStores = new TrustStoreDependent(config.watchNamespaces());
    this.announcer = new Announcer(events);
    this.reporter = new Reporter(events, registry);
    this.adminFactory = adminFactory;
    this.prober = prober;
    this.verifier = new Verifier(prober);
    this.records = new OwnershipRecords(config.operatorNamespace());
  }

  @Override
  public List<EventSource<?, S3Integration>> prepareEventSources(
      EventSourceContext<S3Integration> context) {
    sources =
        new IntegrationEventSources(
            context, outputSecrets, trustStores, records, config.watchNamespaces());
    stores = sources.storeResolver();
    connections = new StorageConnections(new InputSecrets(context.getClient()), adminFactory);
    observer = new Observer(connections, prober);
    cleanup =
        new IntegrationCleanup(
            stores, connections, sources, records, events, reporter, registry, tenantBulkhead);
    applier =
        new PlanApplier(
            outputSecrets, trustStores, records, cleanup, reporter, config.consumerMountPath());
    sweep =
        new RecordSweep(
            context.getClient(),
            records,
            sources,
            stores,
            connections,
            config.watchNamespaces(),
            events,
            registry,
            leadership);
    List<EventSource<?, S3Integration>> all = new ArrayList<>(sources.all());
    all.add(sweep);
    return all;
  }

  /**
   * One reconcile, in its steps: {@link #model}, {@link #admit}, {@link #observe}, {@link #decide},
   * apply ({@link PlanApplier}), {@link #verify}, {@link #schedule}; a permanent failure of any
   * step ends in {@link #failed}. The deadline is checked after observing and before each write.
   */
  @Override
  public UpdateControl<S3Integration> reconcile(
      S3Integration resource, Context<S3Integration> context) {
    return ContainedErrors.call(() -> reconcileSteps(resource, context));
  }

  private UpdateControl<S3Integration> reconcileSteps(
      S3Integration resource, Context<S3Integration> context) {
    S3IntegrationStatus previous =
        Optional.ofNullable(resource.getStatus()).orElseGet(S3IntegrationStatus::new);
    IntegrationStatus status = new IntegrationStatus(conditions, resource, previous);
    if (!Objects.equals(previous.getObservedGeneration(), resource.getMetadata().getGeneration())) {
      // new or edited: its scope may have changed, and a user it no longer uses loses its grants
      // now, before the new identity is tried (paused or not)
      sweep.soon();
      if (isPaused(resource)) {
        status.paused();
        return finish(resource, previous, status.build(), null);
      }
      sources.triggerScopePeers(resource);
    }
    if (isPaused(resource)) {
      status.paused(); // what the platform revokes is still revoked: RecordSweep
      return finish(resource, previous, status.build(), null);
    }
    Duration interval = config.defaultVerificationInterval();
    Optional<TenantBulkhead.Permit> permit = Optional.empty();
    try {
      IntegrationModel model = model(resource, status);
      interval = model.schedule().interval();
      Deadline deadline = new Deadline(clock, BUDGET);
      if (model.store().kind() == StoreKind.S3Store) {
        // A tenant's own store may be a slow "S3" server: its namespace, and all tenants together,
        // get a few reconcile threads at a time, and a shorter deadline, so it never starves
        // everyone else.
        permit = tenantBulkhead.tryAcquire(resource.getMetadata().getNamespace());
        if (permit.isEmpty()) {
          return UpdateControl.<S3Integration>noUpdate()
              .rescheduleAfter(TenantBulkhead.retryDelay());
        }
        deadline = new Deadline(clock, TENANT_STORE_BUDGET);
      }
      Optional<OwnershipRecord> record = admit(resource, context, model);
      Observed seen = observe(resource, context, model, record, previous, deadline);
      Decision.Plan plan = decide(model, seen);
      applier.apply(resource, context, model, seen, plan, status, deadline);
      if (plan.withdrawn() != null) {
        throw plan.withdrawn().failure(); // access taken away; the integration stops here
      }
      verify(resource, model, seen, plan, status, deadline);
      S3IntegrationStatus desired = status.build();
      Duration wait = schedule(resource, model, plan, desired, seen.now());
      keyAges.observe(resource, plan.record());
      return finish(resource, previous, desired, wait);
    } catch (StepFailure f) {
      if (f.retry) {
        throw f; // retried with backoff; updateErrorStatus records the reason
      }
      if (Reasons.NO_SUCH_BUCKET.equals(f.reason)) {
        // found before any write: the bucket may be created any time, without an event
        interval = VerificationSchedule.failingRecheck(interval);
      }
      return failed(resource, previous, status, f, interval);
    } finally {
      permit.ifPresent(TenantBulkhead.Permit::close);
    }
  }

  /** What is wanted: the store, what its rules give the namespace, the referenced policies. */
  private IntegrationModel model(S3Integration resource, IntegrationStatus status) {
    ResolvedStore store = stores.resolve(resource);
    IntegrationModel model =
        IntegrationModel.from(
            resource,
            store,
            stores.access(store, resource),
            name -> sources.policy(resource, name),
            config,
            user ->
                records.cached(store.id(), user).filter(r -> r.ownedBy(uid(resource))).isPresent());
    status.describe(model);
    return model;
  }

  /**
   * Conflicts known before any storage read: the scope rule among the namespace's integrations, a
   * user another, older store on the endpoint can derive (refused even when it exists: nothing is
   * written, nothing taken away), then what the store does not allow a new integration.
   *
   * @return the record of the managed user, whoever it belongs to
   */
  private Optional<OwnershipRecord> admit(
      S3Integration resource, Context<S3Integration> context, IntegrationModel model) {
    Optional<StepFailure> scope = ScopeRule.conflict(resource, sources.peers(resource));
    if (scope.isPresent()) {
      throw scope.get();
    }
    Optional<StepFailure> overlap = stores.userNameOverlap(model);
    if (overlap.isPresent()) {
      throw overlap.get();
    }
    Optional<OwnershipRecord> record =
        model.managed()
            ? records.find(context.getClient(), model.store().id(), model.userName())
            : Optional.empty();
    Optional<Decision.Conflict> refused = Decider.admission(model, record);
    if (refused.isPresent()) {
      throw refused.get().failure(); // before any read of the storage
    }
    return record;
  }

  /** The reads: input Secrets, the output Secret and its CA beside it, the storage. */
  private Observed observe(
      S3Integration resource,
      Context<S3Integration> context,
      IntegrationModel model,
      Optional<OwnershipRecord> record,
      S3IntegrationStatus previous,
      Deadline deadline) {
    StorageConnections.Connection connection = observer.connect(model);
    Secret output = outputSecrets.observe(resource, context, model.secretName()).orElse(null);
    ConfigMap trustStore =
        connection.caPem() == null // a conflict stops us here, before any write
            ? null
            : trustStores.observe(resource, context, model.secretName()).orElse(null);
    Instant now = Instant.now(clock);
    // when it was last verified: remembered, or recorded in status (after a restart)
    String uid = resource.getMetadata().getUid();
    S3IntegrationStatus schedule = verifications.forScheduling(uid, previous);
    Long generation = resource.getMetadata().getGeneration();
    // A verification due now proves the probed key with its first request: no separate
    // authentication for it, unless the last probe found that key rejected.
    boolean probeProvesKey =
        Decider.verificationDue(schedule, generation, now, model, false)
            && !verifications.keyRejected(uid);
    Observation seen = observer.observe(model, connection, output, record, probeProvesKey);
    deadline.check("reading the storage");
    return new Observed(connection, trustStore, seen, now, schedule, generation);
  }

  /** The plan, or the conflict that stops the integration before any write. */
  private Decision.Plan decide(IntegrationModel model, Observed o) {
    Decision decision =
        model.managed()
            ? Decider.managed(
                model, o.observation(), o.schedule(), o.generation(), o.now(), SecretKeys::generate)
            : Decider.validateOnly(
                model,
                o.observation(),
                o.connection().keys(),
                o.schedule(),
                o.generation(),
                o.now());
    if (decision instanceof Decision.Conflict c) {
      throw c.failure();
    }
    Decision.Plan plan = (Decision.Plan) decision;
    LOG.debug(
        "S3Integration {}/{}: {}", model.identity().namespace(), model.identity().name(), plan);
    return plan;
  }

  /** Verification with the issued keys when it is due, and the public endpoint with them. */
  private void verify(
      S3Integration resource,
      IntegrationModel model,
      Observed o,
      Decision.Plan plan,
      IntegrationStatus status,
      Deadline deadline) {
    String uid = resource.getMetadata().getUid();
    Optional<StorageEndpoint> publicEndpoint = model.store().publicEndpoint();
    if (plan.verify()) {
      String request = model.schedule().verifyRequest();
      if (VerificationSchedule.requested(request, o.schedule())) {
        status.verifyRequested(request);
      }
      List<BucketStatus> buckets;
      try {
        buckets = verifier.probe(model, o.connection(), plan, deadline.end());
      } catch (StepFailure f) {
        if (Reasons.CREDENTIALS_REJECTED.equals(f.reason)) {
          verifications.rejected(uid); // the next reconcile authenticates before deciding
        }
        throw f;
      }
      verifications.verified(uid, o.now());
      status.verified(buckets);
      reporter.verified(status.access());
      publicEndpoint.ifPresent(
          p ->
              status.publicEndpoint(
                  verifier.checkPublic(p, model, o.connection(), plan, deadline.end())));
    } else {
      status.access();
    }
    if (publicEndpoint.isEmpty()) {
      status.publicEndpoint(null);
    }
  }

  /** When to look again: the next verification, or sooner a time-based step of the rotation. */
  private Duration schedule(
      S3Integration resource,
      IntegrationModel model,
      Decision.Plan plan,
      S3IntegrationStatus desired,
      Instant now) {
    Duration wait =
        VerificationSchedule.untilNext(
            verifications.forScheduling(resource.getMetadata().getUid(), desired),
            model.schedule().interval(),
            now);
    if (plan.wakeAt() != null) {
      // an overlap ends or a rotation is due before the next verification
      Duration rotation = Duration.between(now, plan.wakeAt()).plusSeconds(1);
      wait = rotation.compareTo(wait) < 0 ? rotation : wait;
    }
    Instant requested =
        VerificationSchedule.requestAllowedAt(
            model.schedule().verifyRequest(),
            verifications.forScheduling(resource.getMetadata().getUid(), desired));
    if (requested != null) {
      // a verify request waits for the spacing since the last verification
      Duration request = Duration.between(now, requested);
      request = request.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : request;
      wait = request.compareTo(wait) < 0 ? request : wait;
    }
    return wait;
  }

  /**
   * A permanent failure: its step's condition False, the later ones waiting, Ready False; looked at
   * again after {@code interval}, or sooner when the output Secret is contested.
   */
  private UpdateControl<S3Integration> failed(
      S3Integration resource,
      S3IntegrationStatus previous,
      IntegrationStatus status,
      StepFailure f,
      Duration interval) {
    if (f.detailWithheld()) {
      LOG.info(
          "S3Integration {}/{}: {}: {}",
          resource.getMetadata().getNamespace(),
          resource.getMetadata().getName(),
          f.reason,
          f.getMessage());
    }
    status.failed(f);
    Duration next = contestedSecretRetry(resource, interval);
    return finish(resource, previous, status.build(), next);
  }

  /**
   * The contested-Secret reschedule: when a second writer of the output Secret was met too often
   * ({@link SecretFights}, SecretContested), the restore is tried again once that writer had its
   * window, if that comes before {@code next}.
   */
  private Duration contestedSecretRetry(S3Integration resource, Duration next) {
    Duration contested = fights.retryIn(resource);
    return contested != null && contested.compareTo(next) < 0 ? contested : next;
  }

  private UpdateControl<S3Integration> finish(
      S3Integration resource,
      S3IntegrationStatus current,
      S3IntegrationStatus desired,
      Duration next) {
    UpdateControl<S3Integration> control;
    if (Statuses.same(desired, current)) {
      control = UpdateControl.noUpdate();
    } else {
      announcer.announce(resource, current.getConditions(), desired.getConditions());
      resource.setStatus(desired);
      control = UpdateControl.patchStatus(resource);
    }
    return next == null ? control : control.rescheduleAfter(next);
  }

  @Override
  public ErrorStatusUpdateControl<S3Integration> updateErrorStatus(
      S3Integration resource, Context<S3Integration> context, Exception e) {
    S3IntegrationStatus current =
        Optional.ofNullable(resource.getStatus()).orElseGet(S3IntegrationStatus::new);
    StepFailure step = Failures.cause(e, StepFailure.class);
    KubernetesClientException api = Failures.cause(e, KubernetesClientException.class);
    String name = resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    if (Failures.cause(e, InterruptedException.class) != null) {
      // the operator is stopping mid-reconcile: what it saw says nothing about the integration
      LOG.info("S3Integration {}: interrupted (stopping); nothing recorded", name);
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    if (step == null && api != null && Failures.isControlPlaneBlip(api)) {
      LOG.info("S3Integration {}: the API server answered HTTP {}; retrying", name, api.getCode());
      return ErrorStatusUpdateControl.noStatusUpdate(); // consumers feel nothing: Ready stays
    }
    if (step == null) {
      step =
          StepFailure.permanent(
              ConditionTypes.READY,
              Reasons.RECONCILE_ERROR,
              "reconcile failed (" + Failures.rootType(e) + ")");
    }
    LOG.warn(
        "S3Integration {}: {}: {}; retrying with backoff", name, step.reason, step.getMessage());
    IntegrationStatus status = new IntegrationStatus(conditions, resource, current);
    status.failed(step);
    S3IntegrationStatus desired = status.build();
    if (Statuses.same(desired, current)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    announcer.announce(resource, current.getConditions(), desired.getConditions());
    resource.setStatus(desired);
    return ErrorStatusUpdateControl.patchStatus(resource);
  }

  @Override
  public DeleteControl cleanup(S3Integration resource, Context<S3Integration> context) {
    return ContainedErrors.call(() -> cleanupSteps(resource, context));
  }

  private DeleteControl cleanupSteps(S3Integration resource, Context<S3Integration> context) {
    sources.triggerScopePeers(resource); // a peer waiting on this one's scope may go on
    fights.forget(resource);
    keyAges.forget(resource);
    verifications.forget(resource.getMetadata().getUid());
    return cleanup.cleanup(resource, context.getClient());
  }

  private static String uid(S3Integration r) {
    return r.getMetadata().getUid();
  }

  private static boolean isPaused(S3Integration r) {
    Map<String, String> a = r.getMetadata().getAnnotations();
    return a != null && "true".equals(a.get(ApiGroup.PAUSED_ANNOTATION));
  }
}
