package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.status.ConditionTypes.ACCESS_VERIFIED;
import static dev.integrations.s3.status.ConditionTypes.CREDENTIALS_READY;
import static dev.integrations.s3.status.ConditionTypes.POLICY_APPLIED;
import static dev.integrations.s3.status.ConditionTypes.SECRET_READY;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.BucketStatus;
import dev.integrations.s3.api.v1alpha1.RotationStatus;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.integration.plan.Decision;
import dev.integrations.s3.controller.integration.plan.IntegrationModel;
import dev.integrations.s3.controller.integration.plan.RotationPolicy;
import dev.integrations.s3.ownership.OwnershipRecord;
import dev.integrations.s3.secret.AccessKeys;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.status.StatusAggregator;
import dev.integrations.s3.status.Statuses;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The status of one S3Integration as a reconcile establishes it: the wording of every step
 * condition, the fields beside them, and Ready aggregated by {@link StatusAggregator}.
 */
final class IntegrationStatus {
  private final S3IntegrationStatus status;
  private final StatusAggregator steps;
  private final Conditions conditions;
  private String secretName;

  IntegrationStatus(Conditions conditions, S3Integration resource, S3IntegrationStatus previous) {
    this.conditions = conditions;
    Long generation = resource.getMetadata().getGeneration();
    this.status = Statuses.copy(previous, S3IntegrationStatus.class);
    status.setObservedGeneration(generation);
    this.steps =
        new StatusAggregator(
            conditions, ConditionTypes.INTEGRATION_STEPS, status.getConditions(), generation);
  }

  /** What the spec resolves to: shown even while a step fails. */
  void describe(IntegrationModel m) {
    secretName = m.secretName();
    status.setScope(m.access().bucket() == null ? "all" : m.access().bucket());
    status.setSecretName(m.secretName());
    status.setEndpointURL(m.endpoint().url());
    status.setStore(m.store().id());
  }

  /** Managed mode: the user exists with the keys in the Secret. */
  void userReady(IntegrationModel m, Decision.Plan plan) {
    status.setUserName(m.userName());
    status.setAccessKeyId(null);
    status.setRotation(rotation(m.schedule().rotation(), plan.record()));
    steps.met(
        CREDENTIALS_READY,
        Reasons.USER_READY,
        plan.record() != null && plan.record().serviceAccount()
            ? "MinIO user "
                + m.userName()
                + " exists; Secret "
                + m.secretName()
                + " holds its key "
                + AccessKeys.shown(plan.accessKey()).orElse("(not shown)")
            : "MinIO user " + m.userName() + " exists with the keys in Secret " + m.secretName());
  }

  /** What status says of the consumers' key: ids and times, never a secret. */
  /**
   * The key consumers hold and the rotation around it. A rotation requested while the previous key
   * still overlaps waits for the overlap to end, one requested sooner than the store's spacing
   * after the last rotation waits for that (then the latest requested value is acted on): {@code
   * requestWaitingUntil} says so, instead of dropping the request without a word.
   */
  static RotationStatus rotation(RotationPolicy policy, OwnershipRecord r) {
    if (r == null) {
      return null;
    }
    RotationStatus s = new RotationStatus();
    s.setCurrentKeyId(r.consumerKeyId());
    s.setIssuedTime(r.keyIssued() == null ? null : seconds(r.keyIssued()));
    Instant due = r.keyIssued() == null ? null : policy.due(r, r.keyIssued());
    s.setNextRotationTime(due == null ? null : seconds(due));
    s.setPreviousKeyId(r.previousKeyId());
    s.setPreviousValidUntil(r.previousUntil() == null ? null : seconds(r.previousUntil()));
    Instant waiting = policy.requestWaitsUntil(r);
    if (waiting != null) {
      s.setRequestWaitingUntil(seconds(waiting));
    }
    return s;
  }

  private static String seconds(Instant t) {
    return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  /** Validate-only mode: the given keys authenticate. */
  void keysProvided(IntegrationModel m, Decision.Plan plan) {
    // the keys authenticated; still shown only with an access key's shape (AccessKeys)
    java.util.Optional<String> shown = AccessKeys.shown(plan.accessKey());
    status.setAccessKeyId(shown.orElse(null));
    status.setRotation(null);
    status.setUserName(null);
    status.setPolicyName(null);
    steps.met(
        CREDENTIALS_READY,
        Reasons.KEYS_PROVIDED,
        shown
            .map(
                k ->
                    "access key "
                        + k
                        + " from Secret "
                        + m.credentials().keysRef().getName()
                        + " authenticates")
            .orElse(
                "the keys in Secret "
                    + m.credentials().keysRef().getName()
                    + " authenticate; the access key is not shown (it has not an access key's"
                    + " shape)"));
    steps.met(
        POLICY_APPLIED,
        Reasons.NOT_APPLICABLE,
        "validate-only mode (credentials.secretRef): the storage's users and policies are"
            + " managed outside the operator; access is verified, not applied");
  }

  /** Managed mode: the merged policy is attached, or why grants are missing. */
  void policyApplied(IntegrationModel m, Decision.Plan plan) {
    status.setPolicyName(plan.policyName());
    List<String> problems = new ArrayList<>();
    String reason = Reasons.POLICY_ATTACHED;
    if (!m.policies().missing().isEmpty()) {
      reason = Reasons.POLICY_NOT_FOUND;
      problems.add(
          "S3AccessPolicy "
              + quoteAll(m.policies().missing())
              + " not found in this namespace; its grants are withdrawn");
    }
    if (!m.policies().invalid().isEmpty()) {
      reason = problems.isEmpty() ? Reasons.POLICY_NOT_READY : reason;
      problems.add(
          "S3AccessPolicy "
              + quoteAll(m.policies().invalid())
              + " is invalid (see its status); its grants are withdrawn");
    }
    if (problems.isEmpty()) {
      steps.met(
          POLICY_APPLIED,
          Reasons.POLICY_ATTACHED,
          "MinIO policy "
              + plan.policyName()
              + " (merged from "
              + m.policies().valid()
              + (m.policies().valid() == 1 ? " S3AccessPolicy" : " S3AccessPolicies")
              + ") is attached to user "
              + m.userName());
    } else {
      steps.unmet(POLICY_APPLIED, reason, String.join("; ", problems));
    }
  }

  void secretWritten() {
    steps.met(
        SECRET_READY,
        Reasons.SECRET_WRITTEN,
        "Secret " + secretName + " holds the resolved configuration");
  }

  /**
   * A verification ran now with these results. {@code lastVerifiedTime} moves only when the results
   * differ from the recorded ones (or none are recorded): an unchanged verification writes nothing
   * ({@link VerificationClock} remembers when it ran).
   */
  void verified(List<BucketStatus> buckets) {
    if (status.getLastVerifiedTime() != null
        && Statuses.same(buckets, status.getBuckets())
        && !requestAnswered) {
      return;
    }
    status.setBuckets(buckets);
    status.setLastVerifiedTime(conditions.now());
  }

  private boolean requestAnswered;

  /**
   * The verification about to run answers the verify annotation's {@code request}: recorded in
   * {@code lastVerifyRequest} whatever the verification finds (a failing one is not repeated for
   * the same value), and {@code lastVerifiedTime} moves even when the results are unchanged, so
   * whoever asked sees when it ran.
   */
  void verifyRequested(String request) {
    status.setLastVerifyRequest(request);
    requestAnswered = true;
  }

  /**
   * Sets AccessVerified from the latest results (this reconcile's, or the last verification's when
   * none was due) and returns its reason.
   */
  String access() {
    List<String> noBucket = new ArrayList<>();
    List<String> denied = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<BucketStatus> buckets = status.getBuckets() == null ? List.of() : status.getBuckets();
    int notProbed = 0;
    for (BucketStatus b : buckets) {
      if (b.getList() == null) {
        notProbed++; // sampled out this time: neither proof nor failure
      } else if (b.getList() == BucketStatus.Result.NoSuchBucket) {
        noBucket.add(b.getName());
      } else if (b.getList() == BucketStatus.Result.Denied
          || b.getGet() == BucketStatus.Result.Denied) {
        denied.add(
            b.getName() + (b.getList() == BucketStatus.Result.Denied ? " (list)" : " (get)"));
      } else if (b.getList() != BucketStatus.Result.Allowed
          || b.getGet() == BucketStatus.Result.Error) {
        errors.add(b.getName() + (b.getMessage() == null ? "" : ": " + b.getMessage()));
      }
    }
    if (noBucket.isEmpty() && denied.isEmpty() && errors.isEmpty()) {
      steps.met(
          ACCESS_VERIFIED,
          Reasons.VERIFIED,
          "the issued keys can list and get in "
              + (buckets.size() - notProbed)
              + " bucket(s)"
              + (notProbed == 0 ? "" : " (" + notProbed + " not probed this time)"));
      return Reasons.VERIFIED;
    }
    String reason;
    String message;
    if (!noBucket.isEmpty()) {
      reason = Reasons.NO_SUCH_BUCKET;
      message = "bucket " + quoteAll(noBucket) + " does not exist";
    } else if (!denied.isEmpty()) {
      reason = Reasons.ACCESS_DENIED;
      message = "the issued keys were denied on " + String.join(", ", denied);
    } else {
      reason = Reasons.VERIFICATION_FAILED;
      message = "verification failed on " + String.join(", ", errors);
    }
    steps.unmet(ACCESS_VERIFIED, reason, message);
    return reason;
  }

  /** The public endpoint check of this verification (null: the store has no public endpoint). */
  void publicEndpoint(Verifier.PublicCheck check) {
    if (check == null) {
      steps.without(ConditionTypes.PUBLIC_ENDPOINT_VERIFIED);
    } else {
      steps.beside(
          ConditionTypes.PUBLIC_ENDPOINT_VERIFIED, check.status(), check.reason(), check.message());
    }
  }

  /** A step cannot go on: its condition False, the later ones waiting, Ready False. */
  void failed(StepFailure f) {
    steps.blocked(f.type, f.tenantReason(), f.tenantMessage());
  }

  /** Paused by annotation: Ready Unknown, nothing else changes. */
  void paused() {
    steps.held(
        Reasons.PAUSED,
        "paused by the "
            + ApiGroup.PAUSED_ANNOTATION
            + " annotation: nothing is created or widened; what the store revokes is still"
            + " revoked");
  }

  S3IntegrationStatus build() {
    status.setConditions(
        steps.conditions(
            Reasons.READY,
            "user, policy, verified access and Secret " + secretName + " are ready"));
    return status;
  }

  private static String quoteAll(List<String> names) {
    return names.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
  }
}
