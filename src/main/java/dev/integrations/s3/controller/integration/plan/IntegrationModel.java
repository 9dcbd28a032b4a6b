package dev.integrations.s3.controller.integration.plan;

import dev.integrations.s3.api.v1alpha1.KeyPairSecretRef;
import dev.integrations.s3.api.v1alpha1.PolicyRef;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationSpec;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.naming.Names;
import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.Grants;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.PolicyValidator;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.minio.MinioNames;
import dev.integrations.s3.store.ResolvedStore;
import dev.integrations.s3.store.StoreAccess;
import dev.integrations.s3.verify.BucketScope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The desired state of one S3Integration: what its spec, its store, the S3AccessPolicies it
 * references and the operator's settings ask for, before anything is read from Secrets or the
 * storage. Pure: stores and policies are looked up by the caller, so every rule here is
 * unit-testable.
 *
 * @param identity who the integration is and the names derived for it
 * @param policies what its referenced S3AccessPolicies grant, merged
 * @param access what the store allows and what is verified
 * @param credentials whose keys are used, and where they are
 * @param schedule how often access is verified and keys rotate
 */
public record IntegrationModel(
    Identity identity,
    Policies policies,
    Access access,
    Credentials credentials,
    Schedule schedule) {

  /**
   * Who the integration is, and the names derived for it.
   *
   * @param namespace the integration's namespace
   * @param name the integration's name
   * @param uid the integration's UID (ownership records name it)
   * @param userName the MinIO user (managed mode): {@code <store prefix><namespace>.<name>}, else
   *     null
   * @param policyName the MinIO policy {@code s3i-<user>} (managed mode), else null
   * @param secretName the output Secret
   */
  public record Identity(
      String namespace,
      String name,
      String uid,
      String userName,
      String policyName,
      String secretName) {}

  /**
   * What the referenced S3AccessPolicies grant, merged.
   *
   * @param document the merged document of the valid grants the store allows, or null when none (or
   *     when it would be larger than the storage accepts)
   * @param documentBytes the size of that document as rendered (also when it is too large)
   * @param valid how many referenced policies are valid and merged
   * @param missing referenced S3AccessPolicies that do not exist
   * @param invalid referenced S3AccessPolicies whose spec is invalid
   */
  public record Policies(
      String document, int documentBytes, int valid, List<String> missing, List<String> invalid) {

    /** Whether the merged document is larger than the storage accepts. */
    boolean tooLarge() {
      return documentBytes > PolicyDocument.MAX_BYTES;
    }
  }

  /**
   * What the store allows this integration, and what is verified.
   *
   * @param storeUsable whether the store serves this namespace at all
   * @param notAllowed what the grants and scope ask that the store does not allow this namespace
   * @param bucket the one bucket the integration is scoped to, or null for all buckets
   * @param scopes buckets (and prefixes) to verify: the allowed ones
   */
  public record Access(
      boolean storeUsable, List<String> notAllowed, String bucket, List<BucketScope> scopes) {}

  /**
   * Whose keys are used.
   *
   * @param managed the store's admin creates the user and policy (else given keys are validated)
   * @param store the store and where its Secrets are
   * @param keysRef the store's admin keys (managed) or the given keys (validate-only)
   * @param keysNamespace where that Secret is
   */
  public record Credentials(
      boolean managed, ResolvedStore store, KeyPairSecretRef keysRef, String keysNamespace) {}

  /**
   * When things happen again.
   *
   * @param interval how often access is verified
   * @param rotation key rotation (managed mode), {@link RotationPolicy#NONE} otherwise
   * @param verifyRequest the value of the verify annotation, or null
   */
  public record Schedule(Duration interval, RotationPolicy rotation, String verifyRequest) {
    /** Without a verify request. */
    public Schedule(Duration interval, RotationPolicy rotation) {
      this(interval, rotation, null);
    }
  }

  /** Whether the store's admin creates the user and policy (else given keys are validated). */
  public boolean managed() {
    return credentials.managed();
  }

  /** The store and where its Secrets are. */
  public ResolvedStore store() {
    return credentials.store();
  }

  /** The MinIO user (managed mode), else null. */
  public String userName() {
    return identity.userName();
  }

  /** The output Secret. */
  public String secretName() {
    return identity.secretName();
  }

  /** The endpoint, without its CA. */
  public StorageEndpoint endpoint() {
    return store().endpoint();
  }

  /**
   * The desired state of this integration on this store.
   *
   * @param access what the store allows the integration's namespace
   * @throws StepFailure InvalidSpec, naming every problem, when the spec is not usable
   */
  public static IntegrationModel from(
      S3Integration resource,
      ResolvedStore store,
      StoreAccess access,
      Function<String, Optional<S3AccessPolicy>> policies,
      OperatorConfig config) {
    return from(resource, store, access, policies, config, user -> false);
  }

  /**
   * As above; {@code recorded} says whether this integration's record on this store names a user,
   * so that a user derived with the shorter hash of earlier versions is kept ({@link
   * MinioNames#legacyUserName}) and its consumers' keys stay valid.
   */
  public static IntegrationModel from(
      S3Integration resource,
      ResolvedStore store,
      StoreAccess access,
      Function<String, Optional<S3AccessPolicy>> policies,
      OperatorConfig config,
      java.util.function.Predicate<String> recorded) {
    S3IntegrationSpec spec = resource.getSpec();
    RotationPolicy rotation = usableSpec(resource, store);
    boolean managed = spec.getCredentials().getManaged() != null;
    String ns = resource.getMetadata().getNamespace();
    String name = resource.getMetadata().getName();
    String userName =
        managed
            ? MinioNames.legacyUserName(store.userPrefix(), ns, name)
                .filter(recorded)
                .orElseGet(() -> MinioNames.userName(store.userPrefix(), ns, name))
            : null;
    Referenced refs = Referenced.resolve(spec, policies);
    if (managed) {
      usableNames(userName, spec.getBucket(), refs);
    }
    Identity identity =
        new Identity(
            ns,
            resource.getMetadata().getName(),
            resource.getMetadata().getUid(),
            userName,
            managed ? MinioNames.policyName(userName) : null,
            secretName(resource));
    Credentials credentials =
        managed
            ? new Credentials(
                true, store, store.spec().getAdmin().getSecretRef(), store.secretsNamespace())
            : new Credentials(false, store, spec.getCredentials().getSecretRef(), ns);
    List<ReadGrant> allowed = access.narrow(refs.valid());
    String bucket = spec.getBucket();
    return new IntegrationModel(
        identity,
        merged(refs, allowed),
        new Access(
            access.usable(),
            access.notAllowed(refs.valid(), bucket),
            bucket,
            scopes(bucket, allowed)),
        credentials,
        new Schedule(interval(spec, config), rotation, VerificationSchedule.request(resource)));
  }

  /**
   * The spec's own problems, the store's admin keys for managed mode, and the rotation it asks for,
   * resolved against the store's limits.
   *
   * @throws StepFailure InvalidSpec, naming every problem
   */
  private static RotationPolicy usableSpec(S3Integration resource, ResolvedStore store) {
    S3IntegrationSpec spec = resource.getSpec();
    List<String> problems = IntegrationSpecs.problems(spec);
    boolean managed = problems.isEmpty() && spec.getCredentials().getManaged() != null;
    if (managed && !store.managed()) {
      problems.add(
          store.id()
              + " has no admin keys: the operator cannot create users on it. Use"
              + " credentials.secretRef (your own keys, validated only) with this store");
    }
    RotationPolicy rotation =
        problems.isEmpty()
            ? RotationPolicy.of(resource, store.spec().getRotation(), managed, problems)
            : RotationPolicy.NONE;
    if (!problems.isEmpty()) {
      throw invalid(problems);
    }
    return rotation;
  }

  /**
   * The derived user name within MinIO's limits, and a scope bucket one of the policies grants.
   *
   * @throws StepFailure InvalidSpec, naming every problem
   */
  private static void usableNames(String userName, String bucket, Referenced refs) {
    List<String> problems = new ArrayList<>();
    MinioNames.userNameProblem(userName).ifPresent(problems::add);
    if (refs.scopeNotGranted(bucket)) {
      problems.add(
          "bucket \""
              + bucket
              + "\" (the scope) is not granted by any referenced S3AccessPolicy: the user could not"
              + " read it");
    }
    if (!problems.isEmpty()) {
      throw invalid(problems);
    }
  }

  /** The allowed grants merged into one document (none when it is larger than MinIO accepts). */
  private static Policies merged(Referenced refs, List<ReadGrant> allowed) {
    String document = allowed.isEmpty() ? null : PolicyDocument.merge(allowed);
    int bytes = document == null ? 0 : document.getBytes(StandardCharsets.UTF_8).length;
    return new Policies(
        bytes > PolicyDocument.MAX_BYTES ? null : document,
        bytes,
        refs.valid().size(),
        List.copyOf(refs.missing()),
        List.copyOf(refs.invalid()));
  }

  private static Duration interval(S3IntegrationSpec spec, OperatorConfig config) {
    return spec.getVerification() != null && spec.getVerification().getInterval() != null
        ? OperatorConfig.parseDuration(
            "verification.interval", spec.getVerification().getInterval())
        : config.defaultVerificationInterval();
  }

  /**
   * The referenced S3AccessPolicies, looked up in the integration's namespace.
   *
   * @param valid the grants of those that exist and are valid, in reference order
   * @param missing the names of those that do not exist
   * @param invalid the names of those whose spec is invalid
   */
  private record Referenced(List<ReadGrant> valid, List<String> missing, List<String> invalid) {
    static Referenced resolve(
        S3IntegrationSpec spec, Function<String, Optional<S3AccessPolicy>> policies) {
      List<ReadGrant> grants = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      List<String> invalid = new ArrayList<>();
      for (PolicyRef ref :
          spec.getAccessPolicyRefs() == null ? List.<PolicyRef>of() : spec.getAccessPolicyRefs()) {
        Optional<S3AccessPolicy> p = policies.apply(ref.getName());
        if (p.isEmpty()) {
          missing.add(ref.getName());
          continue;
        }
        ReadGrant grant = Grants.fromSpec(p.get().getSpec());
        if (p.get().getSpec() == null || !PolicyValidator.problems(grant).isEmpty()) {
          invalid.add(ref.getName());
          continue;
        }
        grants.add(grant);
      }
      return new Referenced(grants, missing, invalid);
    }

    /**
     * Whether a scope bucket is granted by none of the policies, all of which resolved (a missing
     * or invalid one may be what grants it: that is reported as such instead).
     */
    boolean scopeNotGranted(String bucket) {
      return bucket != null
          && missing.isEmpty()
          && invalid.isEmpty()
          && valid.stream()
              .flatMap(g -> g.buckets().stream())
              .noneMatch(b -> b.bucket().equals(bucket));
    }
  }

  private static StepFailure invalid(List<String> problems) {
    return StepFailure.permanent(
        ConditionTypes.READY, Reasons.INVALID_SPEC, String.join("; ", problems));
  }

  /**
   * The resolved-config Secret's name: spec.secretName, or {@code <name>-s3} (shortened with a hash
   * where a name near the 253-character limit would make it too long).
   */
  public static String secretName(S3Integration resource) {
    S3IntegrationSpec spec = resource.getSpec();
    return spec != null && spec.getSecretName() != null
        ? spec.getSecretName()
        : Names.bounded(resource.getMetadata().getName(), "-s3", 253);
  }

  /** Buckets to verify: the scoped bucket and every bucket of the valid grants, with prefixes. */
  public static List<BucketScope> scopes(String bucket, List<ReadGrant> grants) {
    Map<String, List<String>> byBucket = new LinkedHashMap<>();
    Map<String, Boolean> whole = new LinkedHashMap<>();
    if (bucket != null) {
      byBucket.put(bucket, new ArrayList<>());
    }
    for (ReadGrant g : grants) {
      for (BucketGrant b : g.buckets()) {
        byBucket.computeIfAbsent(b.bucket(), k -> new ArrayList<>());
        if (b.isWholeBucket()) {
          whole.put(b.bucket(), true);
        } else {
          b.prefixes().stream()
              .filter(p -> !byBucket.get(b.bucket()).contains(p))
              .forEach(byBucket.get(b.bucket())::add);
        }
      }
    }
    List<BucketScope> out = new ArrayList<>();
    byBucket.forEach(
        (b, prefixes) ->
            out.add(new BucketScope(b, whole.getOrDefault(b, false) ? List.of() : prefixes)));
    return out;
  }
}
