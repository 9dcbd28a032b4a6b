package dev.integrations.s3.reconciler;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.BucketStatus;
import dev.integrations.s3.api.v1alpha1.DeletionPolicy;
import dev.integrations.s3.api.v1alpha1.PolicyRef;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationSpec;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.minio.MinioAdmin;
import dev.integrations.s3.minio.MinioAdminFactory;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.secret.ResolvedConfig;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.secret.SecretKeys;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.verify.AccessProber;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an S3Integration into a working, verified connection: the MinIO service user and its merged
 * read policy (managed mode), proof that the issued keys can list and get, and the resolved-config
 * Secret for consumers. See the package's DESIGN.md for the order of writes and the ownership
 * rules.
 *
 * <p>Errors are classified: permanent problems ({@link Blocked}) end in Ready=False and wait for an
 * input change or the next verification; transient storage failures are thrown so that the SDK
 * retries with backoff (without limit), with the reason written by {@link #updateErrorStatus}.
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
  static final String POLICY_INDEX = "policy-refs";

  /** The conditions Ready is made of, in the order a reconcile establishes them. */
  static final List<String> STEPS =
      List.of(
          Reasons.CREDENTIALS_READY,
          Reasons.POLICY_APPLIED,
          Reasons.ACCESS_VERIFIED,
          Reasons.SECRET_READY);

  /** The order of conditions in status, so that kubectl describe reads top-down. */
  static final List<String> CONDITION_ORDER =
      Stream.concat(STEPS.stream(), Stream.of(Reasons.READY)).toList();

  static final String SECRET_INDEX = "secret-refs";

  /** fabric8 informers index every cache by namespace under this name already. */
  static final String NAMESPACE_INDEX =
      io.fabric8.kubernetes.client.informers.cache.Cache.NAMESPACE_INDEX;

  private static final Logger LOG = LoggerFactory.getLogger(S3IntegrationReconciler.class);

  private final OperatorConfig config;
  private final Conditions conditions;
  private final Events events;
  private final MinioAdminFactory adminFactory;
  private final AccessProber prober;
  private final Clock clock;
  private final MeterRegistry registry;

  /** Prometheus: s3_operator_verifications_total{result=Verified|NoSuchBucket|...}. */
  public static final String VERIFICATIONS_METRIC = "s3.operator.verifications";

  private volatile InformerEventSource<S3AccessPolicy, S3Integration> policySource;
  private volatile InformerEventSource<Secret, S3Integration> secretSource;
  private volatile io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache<S3Integration>
      primaries;

  public S3IntegrationReconciler(
      OperatorConfig config,
      Conditions conditions,
      Events events,
      MinioAdminFactory adminFactory,
      AccessProber prober,
      Clock clock,
      MeterRegistry registry) {
    this.config = config;
    this.conditions = conditions;
    this.events = events;
    this.adminFactory = adminFactory;
    this.prober = prober;
    this.clock = clock;
    this.registry = registry;
  }

  // ---------------------------------------------------------------- event sources

  @Override
  public List<EventSource<?, S3Integration>> prepareEventSources(
      EventSourceContext<S3Integration> context) {
    context.getPrimaryCache().addIndexer(POLICY_INDEX, S3IntegrationReconciler::policyKeys);
    context.getPrimaryCache().addIndexer(SECRET_INDEX, S3IntegrationReconciler::secretKeys);
    primaries = context.getPrimaryCache();

    policySource =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(S3AccessPolicy.class, S3Integration.class)
                .withName("policies")
                .withSecondaryToPrimaryMapper(
                    p ->
                        primaries(
                            context,
                            POLICY_INDEX,
                            key(p.getMetadata().getNamespace(), p.getMetadata().getName())))
                .withPrimaryToSecondaryMapper(
                    (S3Integration i) ->
                        policyKeys(i).stream()
                            .map(S3IntegrationReconciler::id)
                            .collect(Collectors.toSet()))
                .build(),
            context);

    secretSource =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, S3Integration.class)
                .withName("secrets")
                .withSecondaryToPrimaryMapper(
                    s -> {
                      Set<ResourceID> ids =
                          new HashSet<>(
                              primaries(
                                  context,
                                  SECRET_INDEX,
                                  key(s.getMetadata().getNamespace(), s.getMetadata().getName())));
                      if (s.getMetadata().getOwnerReferences() != null) {
                        s.getMetadata().getOwnerReferences().stream()
                            .filter(r -> "S3Integration".equals(r.getKind()))
                            .forEach(
                                r ->
                                    ids.add(
                                        new ResourceID(
                                            r.getName(), s.getMetadata().getNamespace())));
                      }
                      return ids;
                    })
                .withPrimaryToSecondaryMapper(
                    (S3Integration i) ->
                        secretKeys(i).stream()
                            .map(S3IntegrationReconciler::id)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    // Scope conflicts: another integration of the namespace appearing, changing its spec or going
    // away can resolve (or cause) a conflict, so it re-triggers its peers.
    InformerEventSource<S3Integration, S3Integration> peers =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(S3Integration.class, S3Integration.class)
                .withName("peers")
                .withOnUpdateFilter(
                    (n, o) ->
                        !Objects.equals(
                                n.getMetadata().getGeneration(), o.getMetadata().getGeneration())
                            || !Objects.equals(
                                n.getMetadata().getDeletionTimestamp(),
                                o.getMetadata().getDeletionTimestamp()))
                .withSecondaryToPrimaryMapper(
                    i ->
                        context
                            .getPrimaryCache()
                            .byIndex(NAMESPACE_INDEX, i.getMetadata().getNamespace())
                            .stream()
                            .filter(
                                p ->
                                    !Objects.equals(
                                        p.getMetadata().getUid(), i.getMetadata().getUid()))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    return List.of(policySource, secretSource, peers);
  }

  private static Set<ResourceID> primaries(
      EventSourceContext<S3Integration> context, String index, String key) {
    return context.getPrimaryCache().byIndex(index, key).stream()
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
        .map(n -> key(i.getMetadata().getNamespace(), n))
        .distinct()
        .toList();
  }

  /** Every Secret an integration reads or writes: admin/credentials, CA, and its output. */
  static List<String> secretKeys(S3Integration i) {
    S3IntegrationSpec s = i.getSpec();
    if (s == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    if (s.getCredentials() != null) {
      if (s.getCredentials().getManaged() != null
          && s.getCredentials().getManaged().getAdminSecretRef() != null) {
        names.add(s.getCredentials().getManaged().getAdminSecretRef().getName());
      }
      if (s.getCredentials().getSecretRef() != null) {
        names.add(s.getCredentials().getSecretRef().getName());
      }
    }
    if (s.getTls() != null && s.getTls().getCaSecretRef() != null) {
      names.add(s.getTls().getCaSecretRef().getName());
    }
    names.add(Inputs.secretName(i));
    return names.stream()
        .filter(Objects::nonNull)
        .map(n -> key(i.getMetadata().getNamespace(), n))
        .distinct()
        .toList();
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private static ResourceID id(String key) {
    int slash = key.indexOf('/');
    return new ResourceID(key.substring(slash + 1), key.substring(0, slash));
  }

  // ---------------------------------------------------------------- reconcile

  @Override
  public UpdateControl<S3Integration> reconcile(
      S3Integration resource, Context<S3Integration> context) {
    S3IntegrationStatus current =
        Optional.ofNullable(resource.getStatus()).orElseGet(S3IntegrationStatus::new);
    if (isPaused(resource)) {
      return finish(resource, current, paused(resource, current), null);
    }
    Run run = new Run(resource, current, context.getClient());
    Duration next;
    try {
      next = run.execute();
    } catch (Blocked b) {
      run.block(b);
      next = run.inputs == null ? null : run.inputs.verificationInterval();
    } catch (StorageException e) {
      if (e.isTransient()) {
        throw e; // retried with backoff; updateErrorStatus records the reason
      }
      // Permanent (admin keys rejected, TLS, policy refused): say so, and look again only at the
      // next verification or when an input changes, never in a hot loop.
      String type =
          StorageException.POLICY_REJECTED.equals(e.reason())
              ? Reasons.POLICY_APPLIED
              : Reasons.CREDENTIALS_READY;
      run.block(new Blocked(type, e.reason(), e.getMessage()));
      next = run.inputs == null ? null : run.inputs.verificationInterval();
    }
    return finish(resource, current, run.status(), next);
  }

  private UpdateControl<S3Integration> finish(
      S3Integration resource,
      S3IntegrationStatus current,
      S3IntegrationStatus desired,
      Duration next) {
    UpdateControl<S3Integration> control;
    if (desired.equals(current)) {
      control = UpdateControl.noUpdate();
    } else {
      announce(resource, current, desired);
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
    StorageException storage = storageCause(e);
    String reason = storage != null ? storage.reason() : Reasons.RECONCILE_ERROR;
    String message =
        storage != null
            ? storage.getMessage()
            : "reconcile failed (" + rootCause(e).getClass().getSimpleName() + ")";
    LOG.warn(
        "S3Integration {}/{}: {}: {}; retrying with backoff",
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        reason,
        message);
    S3IntegrationStatus desired = copy(current);
    Long gen = resource.getMetadata().getGeneration();
    String type = storage != null ? Reasons.CREDENTIALS_READY : Reasons.READY;
    if (!type.equals(Reasons.READY)) {
      desired.setConditions(
          conditions.set(desired.getConditions(), type, Conditions.FALSE, reason, message, gen));
    }
    desired.setConditions(
        conditions.set(
            desired.getConditions(), Reasons.READY, Conditions.FALSE, reason, message, gen));
    desired.setObservedGeneration(gen);
    if (desired.equals(current)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    announce(resource, current, desired);
    resource.setStatus(desired);
    return ErrorStatusUpdateControl.patchStatus(resource);
  }

  /** The StorageException behind an error, however the SDK wrapped it. */
  static StorageException storageCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StorageException se) {
        return se;
      }
    }
    return null;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  // ---------------------------------------------------------------- cleanup

  @Override
  public DeleteControl cleanup(S3Integration resource, Context<S3Integration> context) {
    Map<String, String> ann = annotations(resource);
    if ("true".equals(ann.get(ApiGroup.SKIP_CLEANUP_ANNOTATION))) {
      events.normal(
          resource, "CleanupSkipped", "skip-cleanup annotation set: storage left as it is");
      return DeleteControl.defaultDelete();
    }
    S3IntegrationSpec spec = resource.getSpec();
    S3IntegrationStatus status = resource.getStatus();
    boolean managed =
        spec != null && spec.getCredentials() != null && spec.getCredentials().getManaged() != null;
    if (!managed || spec.getDeletionPolicy() == DeletionPolicy.Retain) {
      return DeleteControl.defaultDelete();
    }
    String user = status == null ? null : status.getUserName();
    String policy = status == null ? null : status.getPolicyName();
    Secret out = secret(resource, Inputs.secretName(resource)).orElse(null);
    if (out != null && ResolvedConfigSecret.isOwnedBy(out, resource)) {
      // The Secret records ownership before any storage write (crash between the two).
      user = user != null ? user : annotation(out, ResolvedConfigSecret.USER_ANNOTATION);
      policy = policy != null ? policy : annotation(out, ResolvedConfigSecret.POLICY_ANNOTATION);
    }
    if (user == null && policy == null) {
      return DeleteControl.defaultDelete();
    }
    if (isPaused(resource)) {
      events.warning(
          resource,
          Reasons.PAUSED,
          "deletion waits: the resource is paused; remove the paused annotation or set"
              + " s3.integrations.dev/skip-cleanup: \"true\"");
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofMinutes(1).toMillis());
    }
    String[] admin;
    Inputs inputs;
    try {
      inputs = Inputs.resolve(resource, config, n -> Optional.empty(), n -> secret(resource, n));
      admin =
          Inputs.keyPair(
              spec.getCredentials().getManaged().getAdminSecretRef(),
              "admin",
              n -> secret(resource, n));
    } catch (Blocked b) {
      events.warning(
          resource,
          b.reason,
          "cannot clean up MinIO user "
              + user
              + ": "
              + b.getMessage()
              + "; fix it, or set s3.integrations.dev/skip-cleanup: \"true\" to leave the storage as it is");
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofMinutes(1).toMillis());
    }
    MinioAdmin minio = adminFactory.connect(inputs.endpoint(), admin[0], admin[1]);
    try {
      if (user != null) {
        minio.deleteUser(user);
      }
      if (policy != null) {
        minio.deletePolicy(policy);
      }
    } catch (StorageException e) {
      // The SDK retries the clean-up with backoff; tell the user why deletion waits.
      events.warning(
          resource,
          e.reason(),
          "cannot clean up MinIO user "
              + user
              + " yet: "
              + e.getMessage()
              + "; retrying with backoff (s3.integrations.dev/skip-cleanup: \"true\" leaves the"
              + " storage as it is)");
      throw e;
    }
    events.normal(
        resource,
        "CleanedUp",
        "deleted MinIO user " + user + (policy == null ? "" : " and policy " + policy));
    return DeleteControl.defaultDelete();
  }

  // ---------------------------------------------------------------- one run

  /** The state of one reconcile: inputs, decisions and the status being built. */
  private final class Run {
    final S3Integration resource;
    final S3IntegrationStatus before;
    final KubernetesClient client;
    final Long generation;
    final S3IntegrationStatus status;
    Inputs inputs;

    /** The admin connection of managed mode, opened once per reconcile. */
    MinioAdmin minio;

    String userName;
    String secretKey;
    boolean changedStorage;
    boolean changedSecret;

    Run(S3Integration resource, S3IntegrationStatus before, KubernetesClient client) {
      this.resource = resource;
      this.before = before;
      this.client = client;
      this.generation = resource.getMetadata().getGeneration();
      this.status = copy(before);
      status.setObservedGeneration(generation);
    }

    Duration execute() {
      inputs = Inputs.resolve(resource, config, n -> policy(resource, n), n -> secret(resource, n));
      status.setScope(
          resource.getSpec().getBucket() == null ? "all" : resource.getSpec().getBucket());
      status.setSecretName(inputs.secretName());
      status.setEndpointURL(inputs.endpoint().url());
      scopeConflict();

      Secret existing = secret(resource, inputs.secretName()).orElse(null);
      if (existing != null && !ResolvedConfigSecret.isOwnedBy(existing, resource)) {
        throw new Blocked(
            Reasons.SECRET_READY,
            Reasons.SECRET_CONFLICT,
            "Secret \""
                + inputs.secretName()
                + "\" already exists and is not managed by this S3Integration; choose another"
                + " spec.secretName or remove that Secret");
      }
      if (inputs.managed()) {
        managed(existing);
      } else {
        validateOnly(existing);
      }
      return verifyAndSummarize(existing);
    }

    /**
     * In one namespace at most one integration applies to all buckets and at most one to a given
     * bucket; the later one (by creation time, then name) waits with ScopeConflict.
     */
    private void scopeConflict() {
      if (primaries == null) {
        return;
      }
      String scope = resource.getSpec().getBucket();
      Comparator<S3Integration> age =
          Comparator.comparing(
                  (S3Integration i) -> i.getMetadata().getCreationTimestamp(),
                  Comparator.nullsLast(Comparator.naturalOrder()))
              .thenComparing(i -> i.getMetadata().getName());
      primaries.byIndex(NAMESPACE_INDEX, resource.getMetadata().getNamespace()).stream()
          .filter(o -> !Objects.equals(o.getMetadata().getUid(), resource.getMetadata().getUid()))
          .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
          .filter(o -> o.getSpec() != null && Objects.equals(o.getSpec().getBucket(), scope))
          .filter(o -> age.compare(o, resource) < 0)
          .min(age)
          .ifPresent(
              earlier -> {
                throw new Blocked(
                    Reasons.READY,
                    Reasons.SCOPE_CONFLICT,
                    "S3Integration \""
                        + earlier.getMetadata().getName()
                        + "\" already "
                        + (scope == null
                            ? "applies to all buckets"
                            : "is scoped to bucket \"" + scope + "\"")
                        + " in this namespace; only one may. This one waits until that one is"
                        + " deleted or its scope changes");
              });
    }

    // ---- validate-only mode: keys handed over for any S3 system; the storage is never written

    private void validateOnly(Secret existing) {
      var ref = resource.getSpec().getCredentials().getSecretRef();
      String[] keys = Inputs.keyPair(ref, "credentials", n -> secret(resource, n));
      userName = keys[0];
      secretKey = keys[1];
      // Fail early and clearly when the keys do not authenticate at all.
      try {
        prober.authenticate(inputs.endpoint(), userName, secretKey);
      } catch (StorageException e) {
        if (StorageException.CREDENTIALS_REJECTED.equals(e.reason())) {
          throw new Blocked(Reasons.CREDENTIALS_READY, e.reason(), e.getMessage());
        }
        throw e;
      }
      status.setUserName(userName);
      status.setPolicyName(null);
      status.setConditions(
          conditions.set(
              status.getConditions(),
              Reasons.CREDENTIALS_READY,
              Conditions.TRUE,
              Reasons.KEYS_PROVIDED,
              "access key " + userName + " from Secret " + ref.getName() + " authenticates",
              generation));
      status.setConditions(
          conditions.set(
              status.getConditions(),
              Reasons.POLICY_APPLIED,
              Conditions.TRUE,
              Reasons.NOT_APPLICABLE,
              "validate-only mode (credentials.secretRef): the storage's users and policies are"
                  + " managed outside the operator; access is verified, not applied",
              generation));
      writeSecret(existing, false);
    }

    // ---- managed mode: MinIO user and policy

    private void managed(Secret existing) {
      var managed = resource.getSpec().getCredentials().getManaged();
      String[] admin =
          Inputs.keyPair(managed.getAdminSecretRef(), "admin", n -> secret(resource, n));
      minio = adminFactory.connect(inputs.endpoint(), admin[0], admin[1]);
      String user = inputs.userName();
      userName = user;
      String policyName = inputs.policyName();

      // Phase 1: read and decide. Nothing is written before every conflict check passed.
      Optional<MinioAdmin.MinioUser> onServer = minio.user(user);
      String recordedKey =
          existing != null
                  && user.equals(
                      ResolvedConfigSecret.value(existing, ResolvedConfigSecret.ACCESS_KEY_ID)
                          .orElse(null))
              ? ResolvedConfigSecret.value(existing, ResolvedConfigSecret.SECRET_ACCESS_KEY)
                  .orElse(null)
              : null;
      boolean userRecorded =
          user.equals(before.getUserName())
              || user.equals(annotation(existing, ResolvedConfigSecret.USER_ANNOTATION));
      boolean resetUser = false;
      if (onServer.isPresent()) {
        // Ours if the recorded key authenticates as the user, or if our status or Secret already
        // records that we created it (then a disabled user or a changed key is drift to repair).
        boolean authenticates =
            recordedKey != null && onServer.get().enabled() && authenticates(user, recordedKey);
        if (!authenticates && !userRecorded) {
          throw new Blocked(
              Reasons.CREDENTIALS_READY,
              Reasons.USER_CONFLICT,
              "MinIO user \""
                  + user
                  + "\" already exists and was not created by this S3Integration; it is left"
                  + " unchanged. Set credentials.managed.userName to another name, or delete that"
                  + " user if it is unused");
        }
        resetUser = !authenticates;
      }
      secretKey = recordedKey != null ? recordedKey : SecretKeys.generate();

      String desiredDoc = inputs.grants().isEmpty() ? null : PolicyDocument.merge(inputs.grants());
      Optional<String> serverDoc = minio.policy(policyName);
      boolean policyRecorded =
          policyName.equals(before.getPolicyName())
              || policyName.equals(annotation(existing, ResolvedConfigSecret.POLICY_ANNOTATION));
      boolean writePolicy = false;
      if (desiredDoc != null) {
        if (serverDoc.isEmpty()) {
          writePolicy = true;
        } else if (!PolicyDocument.equivalent(serverDoc.get(), desiredDoc)) {
          if (!policyRecorded) {
            throw new Blocked(
                Reasons.POLICY_APPLIED,
                Reasons.POLICY_CONFLICT,
                "MinIO policy \""
                    + policyName
                    + "\" already exists with another document and was not created by this"
                    + " S3Integration; it is left unchanged (rewriting it would change the access"
                    + " of every user attached to it)");
          }
          writePolicy = true;
        }
      } else if (serverDoc.isPresent() && !policyRecorded) {
        // Nothing to grant and a foreign policy of our name: leave it alone, attach nothing.
        policyName = null;
      }

      // Phase 2: write. The Secret first: it records the key before MinIO knows it.
      writeSecret(existing, true);
      if (onServer.isEmpty()) {
        minio.createUser(user, secretKey);
        changedStorage = true;
        events.normal(resource, "UserCreated", "created MinIO user " + user);
      } else if (resetUser) {
        minio.createUser(user, secretKey);
        changedStorage = true;
        events.normal(
            resource,
            "UserRepaired",
            "MinIO user "
                + user
                + " was disabled or did not accept the key in Secret "
                + inputs.secretName()
                + ": reset to that key and enabled");
      }
      status.setUserName(user);
      status.setConditions(
          conditions.set(
              status.getConditions(),
              Reasons.CREDENTIALS_READY,
              Conditions.TRUE,
              Reasons.USER_READY,
              "MinIO user " + user + " exists with the keys in Secret " + inputs.secretName(),
              generation));

      List<String> attached = onServer.map(MinioAdmin.MinioUser::policies).orElse(List.of());
      if (onServer.isPresent() && resetUser) {
        attached = minio.user(user).map(MinioAdmin.MinioUser::policies).orElse(List.of());
      }
      if (desiredDoc != null) {
        if (writePolicy) {
          minio.putPolicy(policyName, desiredDoc);
          changedStorage = true;
          events.normal(
              resource,
              serverDoc.isEmpty() ? "PolicyCreated" : "PolicyUpdated",
              (serverDoc.isEmpty() ? "created" : "updated") + " MinIO policy " + policyName);
        }
        if (!attached.equals(List.of(policyName))) {
          minio.attachPolicy(user, policyName);
          changedStorage = true;
          events.normal(
              resource,
              "PolicyAttached",
              "attached MinIO policy " + policyName + " to user " + user);
        }
        status.setPolicyName(policyName);
      } else {
        if (!attached.isEmpty()) {
          minio.detachAllPolicies(user);
          changedStorage = true;
          events.warning(
              resource,
              "AccessWithdrawn",
              "no valid S3AccessPolicy left: detached every policy from MinIO user " + user);
        }
        if (policyName != null && serverDoc.isPresent() && policyRecorded) {
          minio.deletePolicy(policyName);
          changedStorage = true;
        }
      }
      policyCondition(policyName);
    }

    private boolean authenticates(String user, String key) {
      try {
        prober.authenticate(inputs.endpoint(), user, key);
        return true;
      } catch (StorageException e) {
        if (StorageException.CREDENTIALS_REJECTED.equals(e.reason())) {
          return false;
        }
        throw e;
      }
    }

    private void policyCondition(String policyName) {
      List<String> problems = new ArrayList<>();
      String reason = Reasons.POLICY_ATTACHED;
      if (!inputs.missingPolicies().isEmpty()) {
        reason = Reasons.POLICY_NOT_FOUND;
        problems.add(
            "S3AccessPolicy "
                + quoteAll(inputs.missingPolicies())
                + " not found in namespace "
                + resource.getMetadata().getNamespace()
                + "; its grants are withdrawn");
      }
      if (!inputs.invalidPolicies().isEmpty()) {
        reason = problems.isEmpty() ? Reasons.POLICY_NOT_READY : reason;
        problems.add(
            "S3AccessPolicy "
                + quoteAll(inputs.invalidPolicies())
                + " is invalid (see its status); its grants are withdrawn");
      }
      if (problems.isEmpty()) {
        status.setConditions(
            conditions.set(
                status.getConditions(),
                Reasons.POLICY_APPLIED,
                Conditions.TRUE,
                Reasons.POLICY_ATTACHED,
                "MinIO policy "
                    + policyName
                    + " (merged from "
                    + inputs.grants().size()
                    + (inputs.grants().size() == 1 ? " S3AccessPolicy" : " S3AccessPolicies")
                    + ") is attached to user "
                    + inputs.userName(),
                generation));
      } else {
        status.setConditions(
            conditions.set(
                status.getConditions(),
                Reasons.POLICY_APPLIED,
                Conditions.FALSE,
                reason,
                String.join("; ", problems),
                generation));
      }
    }

    // ---- the resolved-config Secret

    private void writeSecret(Secret existing, boolean recordOwnership) {
      Map<String, String> annotations = new TreeMap<>();
      if (recordOwnership && inputs.managed()) {
        annotations.put(ResolvedConfigSecret.USER_ANNOTATION, inputs.userName());
        annotations.put(ResolvedConfigSecret.POLICY_ANNOTATION, inputs.policyName());
      }
      S3IntegrationSpec spec = resource.getSpec();
      ResolvedConfig cfg =
          new ResolvedConfig(
              userName,
              secretKey,
              inputs.endpoint().url(),
              inputs.endpoint().region(),
              spec.getEndpoint(),
              spec.getPort(),
              inputs.endpoint().virtualHostStyle() ? "virtual" : "path",
              spec.getBucket(),
              inputs.caPem());
      Secret desired = ResolvedConfigSecret.build(resource, inputs.secretName(), cfg, annotations);
      Optional<Secret> write = ResolvedConfigSecret.update(existing, desired);
      if (write.isPresent()) {
        Secret toWrite = write.get();
        String ns = resource.getMetadata().getNamespace();
        ResourceID id = new ResourceID(inputs.secretName(), ns);
        // Tell the informer about our own write at once, so that the next reconcile reads it
        // (and the watch event it causes is not mistaken for someone else's change).
        if (existing == null) {
          Secret created = client.secrets().inNamespace(ns).resource(toWrite).create();
          secretSource.handleRecentResourceCreate(id, created);
        } else {
          Secret updated = client.secrets().inNamespace(ns).resource(toWrite).update();
          secretSource.handleRecentResourceUpdate(id, updated, existing);
        }
        changedSecret = true;
        events.normal(
            resource,
            "SecretWritten",
            (existing == null ? "created" : "updated") + " Secret " + inputs.secretName());
      }
      status.setConditions(
          conditions.set(
              status.getConditions(),
              Reasons.SECRET_READY,
              Conditions.TRUE,
              Reasons.SECRET_WRITTEN,
              "Secret " + inputs.secretName() + " holds the resolved configuration",
              generation));
    }

    // ---- verification

    private Duration verifyAndSummarize(Secret existing) {
      Instant now = Instant.now(clock);
      Instant last = parse(before.getLastVerifiedTime());
      boolean due =
          changedStorage
              || changedSecret
              || last == null
              || !Objects.equals(before.getObservedGeneration(), generation)
              || !Conditions.isTrue(before.getConditions(), Reasons.ACCESS_VERIFIED)
              || !now.isBefore(last.plus(inputs.verificationInterval()));
      if (due) {
        List<BucketStatus> results;
        try {
          results = prober.probe(inputs.endpoint(), userName, secretKey, inputs.scopes());
        } catch (StorageException e) {
          if (!StorageException.CREDENTIALS_REJECTED.equals(e.reason())) {
            throw e;
          }
          if (!inputs.managed()) {
            throw new Blocked(Reasons.ACCESS_VERIFIED, e.reason(), e.getMessage());
          }
          // Our user's key was changed on the server: drift, reset it to the key in the Secret.
          minio.createUser(inputs.userName(), secretKey);
          minio.attachPolicy(inputs.userName(), inputs.policyName());
          events.normal(
              resource,
              "UserRepaired",
              "MinIO user "
                  + inputs.userName()
                  + " rejected its key: reset it to the key in Secret "
                  + inputs.secretName());
          results = prober.probe(inputs.endpoint(), userName, secretKey, inputs.scopes());
        }
        status.setBuckets(results);
        status.setLastVerifiedTime(conditions.now());
        last = now;
      }
      String result = accessCondition(status.getBuckets());
      if (due) {
        Counter.builder(VERIFICATIONS_METRIC)
            .description("Verifications with the issued credentials, by result")
            .tag("result", result)
            .register(registry)
            .increment();
      }
      ready();
      Duration untilNext = Duration.between(now, last.plus(inputs.verificationInterval()));
      return untilNext.isNegative() || untilNext.isZero() ? Duration.ofSeconds(1) : untilNext;
    }

    /** Sets AccessVerified from the probe results and returns its reason. */
    private String accessCondition(List<BucketStatus> buckets) {
      List<String> noBucket = new ArrayList<>();
      List<String> denied = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (BucketStatus b : buckets == null ? List.<BucketStatus>of() : buckets) {
        if (b.getList() == BucketStatus.Result.NoSuchBucket) {
          noBucket.add(b.getName());
        } else if (b.getList() == BucketStatus.Result.Denied
            || b.getGet() == BucketStatus.Result.Denied) {
          denied.add(
              b.getName() + (b.getList() == BucketStatus.Result.Denied ? " (list)" : " (get)"));
        } else if (b.getList() != BucketStatus.Result.Allowed) {
          errors.add(b.getName() + (b.getMessage() == null ? "" : ": " + b.getMessage()));
        } else if (b.getGet() == BucketStatus.Result.Error) {
          errors.add(b.getName() + (b.getMessage() == null ? "" : ": " + b.getMessage()));
        }
      }
      String reason;
      String message;
      boolean ok = noBucket.isEmpty() && denied.isEmpty() && errors.isEmpty();
      if (ok) {
        reason = Reasons.VERIFIED;
        message =
            "the issued keys can list and get in "
                + (buckets == null ? 0 : buckets.size())
                + " bucket(s)";
      } else if (!noBucket.isEmpty()) {
        reason = Reasons.NO_SUCH_BUCKET;
        message = "bucket " + quoteAll(noBucket) + " does not exist";
      } else if (!denied.isEmpty()) {
        reason = Reasons.ACCESS_DENIED;
        message = "the issued keys were denied on " + String.join(", ", denied);
      } else {
        reason = Reasons.VERIFICATION_FAILED;
        message = "verification failed on " + String.join(", ", errors);
      }
      status.setConditions(
          conditions.set(
              status.getConditions(),
              Reasons.ACCESS_VERIFIED,
              ok ? Conditions.TRUE : Conditions.FALSE,
              reason,
              message,
              generation));
      return reason;
    }

    /** Ready is True only when every other condition is True for this generation. */
    private void ready() {
      for (String type : STEPS) {
        Condition c = Conditions.find(status.getConditions(), type).orElse(null);
        if (c == null
            || !Conditions.TRUE.equals(c.getStatus())
            || !Objects.equals(c.getObservedGeneration(), generation)) {
          status.setConditions(
              conditions.set(
                  status.getConditions(),
                  Reasons.READY,
                  c != null && Conditions.FALSE.equals(c.getStatus())
                      ? Conditions.FALSE
                      : Conditions.UNKNOWN,
                  c == null ? Reasons.PENDING : c.getReason(),
                  c == null ? type + " has not been evaluated" : c.getMessage(),
                  generation));
          return;
        }
      }
      status.setConditions(
          conditions.set(
              status.getConditions(),
              Reasons.READY,
              Conditions.TRUE,
              Reasons.READY_REASON,
              "user, policy, verified access and Secret " + inputs.secretName() + " are ready",
              generation));
    }

    /** A permanent obstacle: its condition False, the later ones Unknown, Ready False. */
    void block(Blocked b) {
      int at = STEPS.indexOf(b.conditionType);
      status.setConditions(
          conditions.set(
              status.getConditions(),
              b.conditionType,
              Conditions.FALSE,
              b.reason,
              b.getMessage(),
              generation));
      // A problem of a step leaves the later steps pending; one of Ready itself (ScopeConflict)
      // leaves every step pending.
      String waitingFor = at < 0 ? b.reason : b.conditionType + " (" + b.reason + ")";
      for (int i = at + 1; i < STEPS.size(); i++) {
        String type = STEPS.get(i);
        if (type.equals(Reasons.SECRET_READY) && Conditions.isTrue(status.getConditions(), type)) {
          continue;
        }
        status.setConditions(
            conditions.set(
                status.getConditions(),
                type,
                Conditions.UNKNOWN,
                Reasons.PENDING,
                "waiting for " + waitingFor,
                generation));
      }
      status.setConditions(
          conditions.set(
              status.getConditions(),
              Reasons.READY,
              Conditions.FALSE,
              b.reason,
              b.getMessage(),
              generation));
    }

    /** The status, its conditions in a fixed order so that kubectl describe reads top-down. */
    S3IntegrationStatus status() {
      List<Condition> sorted = new ArrayList<>(status.getConditions());
      sorted.sort(Comparator.comparingInt(c -> CONDITION_ORDER.indexOf(c.getType())));
      status.setConditions(sorted);
      return status;
    }
  }

  // ---------------------------------------------------------------- helpers

  private S3IntegrationStatus paused(S3Integration resource, S3IntegrationStatus current) {
    S3IntegrationStatus s = copy(current);
    s.setConditions(
        conditions.set(
            s.getConditions(),
            Reasons.READY,
            Conditions.UNKNOWN,
            Reasons.PAUSED,
            "paused by the " + ApiGroup.PAUSED_ANNOTATION + " annotation: no changes are made",
            resource.getMetadata().getGeneration()));
    return s;
  }

  private Optional<S3AccessPolicy> policy(S3Integration owner, String name) {
    return policySource == null
        ? Optional.empty()
        : policySource.get(new ResourceID(name, owner.getMetadata().getNamespace()));
  }

  private Optional<Secret> secret(S3Integration owner, String name) {
    return secretSource == null
        ? Optional.empty()
        : secretSource.get(new ResourceID(name, owner.getMetadata().getNamespace()));
  }

  private static String annotation(Secret s, String key) {
    return s == null || s.getMetadata().getAnnotations() == null
        ? null
        : s.getMetadata().getAnnotations().get(key);
  }

  private static Map<String, String> annotations(S3Integration r) {
    return r.getMetadata().getAnnotations() == null ? Map.of() : r.getMetadata().getAnnotations();
  }

  private static boolean isPaused(S3Integration r) {
    return "true".equals(annotations(r).get(ApiGroup.PAUSED_ANNOTATION));
  }

  private static String quoteAll(List<String> names) {
    return names.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
  }

  private static Instant parse(String time) {
    try {
      return time == null ? null : Instant.parse(time);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static S3IntegrationStatus copy(S3IntegrationStatus s) {
    S3IntegrationStatus c = new S3IntegrationStatus();
    c.setObservedGeneration(s.getObservedGeneration());
    c.setConditions(new ArrayList<>(s.getConditions() == null ? List.of() : s.getConditions()));
    c.setScope(s.getScope());
    c.setUserName(s.getUserName());
    c.setPolicyName(s.getPolicyName());
    c.setSecretName(s.getSecretName());
    c.setEndpointURL(s.getEndpointURL());
    c.setBuckets(s.getBuckets() == null ? null : new ArrayList<>(s.getBuckets()));
    c.setLastVerifiedTime(s.getLastVerifiedTime());
    return c;
  }

  private void announce(
      S3Integration resource, S3IntegrationStatus before, S3IntegrationStatus after) {
    Optional<Condition> was = Conditions.find(before.getConditions(), Reasons.READY);
    Optional<Condition> now = Conditions.find(after.getConditions(), Reasons.READY);
    if (now.isEmpty()) {
      return;
    }
    Condition n = now.get();
    boolean changed =
        was.isEmpty()
            || !Objects.equals(was.get().getStatus(), n.getStatus())
            || !Objects.equals(was.get().getReason(), n.getReason())
            || !Objects.equals(was.get().getMessage(), n.getMessage());
    if (!changed) {
      return;
    }
    LOG.info(
        "S3Integration {}/{}: Ready={} ({}) {}",
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        n.getStatus(),
        n.getReason(),
        n.getMessage());
    if (Conditions.TRUE.equals(n.getStatus())) {
      events.normal(resource, n.getReason(), n.getMessage());
    } else {
      events.warning(resource, n.getReason(), n.getMessage());
    }
  }
}
