package dev.integrations.s3.controller.integration;

import dev.integrations.s3.api.v1alpha1.CaSecretRef;
import dev.integrations.s3.api.v1alpha1.Durations;
import dev.integrations.s3.api.v1alpha1.KeyPairSecretRef;
import dev.integrations.s3.api.v1alpha1.PolicyRef;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationSpec;
import dev.integrations.s3.api.v1alpha1.TlsSpec;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.naming.Names;
import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.BucketNames;
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
 * @param namespace the integration's namespace
 * @param name the integration's name
 * @param uid the integration's UID (ownership records name it)
 * @param managed the store's admin creates the user and policy (else given keys are validated)
 * @param userName the MinIO user (managed mode): {@code <store prefix><namespace>.<name>}
 * @param policyName the MinIO policy {@code s3i-<user>} (managed mode), else null
 * @param document the merged document of the valid grants the store allows, or null when none (or
 *     when it would be larger than the storage accepts)
 * @param documentBytes the size of that document as rendered (also when it is too large)
 * @param grants how many referenced policies are valid and merged
 * @param missingPolicies referenced S3AccessPolicies that do not exist
 * @param invalidPolicies referenced S3AccessPolicies whose spec is invalid
 * @param notAllowed what the grants and scope ask that the store does not allow this namespace
 * @param storeUsable whether the store serves this namespace at all
 * @param scopes buckets (and prefixes) to verify: the allowed ones
 * @param bucket the one bucket the integration is scoped to, or null for all buckets
 * @param secretName the output Secret
 * @param interval how often access is verified
 * @param store the store and where its Secrets are
 * @param rotation key rotation (managed mode), {@link RotationPolicy#NONE} otherwise
 * @param keysRef the store's admin keys (managed) or the given keys (validate-only)
 * @param keysNamespace where that Secret is
 */
record IntegrationModel(
    String namespace,
    String name,
    String uid,
    boolean managed,
    String userName,
    String policyName,
    String document,
    int documentBytes,
    int grants,
    List<String> missingPolicies,
    List<String> invalidPolicies,
    List<String> notAllowed,
    boolean storeUsable,
    List<BucketScope> scopes,
    String bucket,
    String secretName,
    Duration interval,
    RotationPolicy rotation,
    ResolvedStore store,
    KeyPairSecretRef keysRef,
    String keysNamespace) {

  /** Whether the merged document is larger than the storage accepts. */
  boolean documentTooLarge() {
    return documentBytes > PolicyDocument.MAX_BYTES;
  }

  /** The endpoint, without its CA. */
  StorageEndpoint endpoint() {
    return store.endpoint();
  }

  /** The CA Secret (in the store's Secret namespace), or null. */
  CaSecretRef caRef() {
    TlsSpec tls = store.spec().getTls();
    return store.tls() && tls != null ? tls.getCaSecretRef() : null;
  }

  /**
   * The desired state of this integration on this store.
   *
   * @param access what the store allows the integration's namespace
   * @throws StepFailure InvalidSpec, naming every problem, when the spec is not usable
   */
  static IntegrationModel from(
      S3Integration resource,
      ResolvedStore store,
      StoreAccess access,
      Function<String, Optional<S3AccessPolicy>> policies,
      OperatorConfig config) {
    S3IntegrationSpec spec = resource.getSpec();
    List<String> problems = specProblems(spec);
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
    String ns = resource.getMetadata().getNamespace();
    String userName =
        managed
            ? MinioNames.userName(store.userPrefix(), ns, resource.getMetadata().getName())
            : null;
    if (managed) {
      MinioNames.userNameProblem(userName).ifPresent(problems::add);
    }
    Duration interval =
        spec.getVerification() != null && spec.getVerification().getInterval() != null
            ? OperatorConfig.parseDuration(
                "verification.interval", spec.getVerification().getInterval())
            : config.defaultVerificationInterval();

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
    String bucket = spec.getBucket();
    if (managed
        && bucket != null
        && missing.isEmpty()
        && invalid.isEmpty()
        && grants.stream()
            .flatMap(g -> g.buckets().stream())
            .noneMatch(b -> b.bucket().equals(bucket))) {
      problems.add(
          "bucket \""
              + bucket
              + "\" (the scope) is not granted by any referenced S3AccessPolicy: the user could not"
              + " read it");
    }
    if (!problems.isEmpty()) {
      throw invalid(problems);
    }
    List<ReadGrant> allowed = access.narrow(grants);
    String document = allowed.isEmpty() ? null : PolicyDocument.merge(allowed);
    int bytes = document == null ? 0 : document.getBytes(StandardCharsets.UTF_8).length;
    return new IntegrationModel(
        ns,
        resource.getMetadata().getName(),
        resource.getMetadata().getUid(),
        managed,
        userName,
        managed ? MinioNames.policyName(userName) : null,
        bytes > PolicyDocument.MAX_BYTES ? null : document,
        bytes,
        grants.size(),
        List.copyOf(missing),
        List.copyOf(invalid),
        access.notAllowed(grants, bucket),
        access.usable(),
        scopes(bucket, allowed),
        bucket,
        secretName(resource),
        interval,
        rotation,
        store,
        managed ? store.spec().getAdmin().getSecretRef() : spec.getCredentials().getSecretRef(),
        managed ? store.secretsNamespace() : ns);
  }

  private static StepFailure invalid(List<String> problems) {
    return StepFailure.permanent(
        ConditionTypes.READY, Reasons.INVALID_SPEC, String.join("; ", problems));
  }

  /**
   * The resolved-config Secret's name: spec.secretName, or {@code <name>-s3} (shortened with a hash
   * where a name near the 253-character limit would make it too long).
   */
  static String secretName(S3Integration resource) {
    S3IntegrationSpec spec = resource.getSpec();
    return spec != null && spec.getSecretName() != null
        ? spec.getSecretName()
        : Names.bounded(resource.getMetadata().getName(), "-s3", 253);
  }

  /** Buckets to verify: the scoped bucket and every bucket of the valid grants, with prefixes. */
  static List<BucketScope> scopes(String bucket, List<ReadGrant> grants) {
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

  /** The operator's own check of what the schema should already have refused. */
  static List<String> specProblems(S3IntegrationSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      return new ArrayList<>(List.of("spec is missing"));
    }
    if (spec.getStoreRef() == null
        || spec.getStoreRef().getName() == null
        || spec.getStoreRef().getName().isBlank()) {
      problems.add("storeRef.name is required");
    }
    if (spec.getBucket() != null) {
      BucketNames.problem(spec.getBucket()).ifPresent(problems::add);
    }
    if (spec.getVerification() != null && spec.getVerification().getInterval() != null) {
      String interval = spec.getVerification().getInterval();
      try {
        Duration d = OperatorConfig.parseDuration("verification.interval", interval);
        if (d.compareTo(Durations.MIN_INTERVAL) < 0 || d.compareTo(Durations.MAX_INTERVAL) > 0) {
          problems.add("verification.interval \"" + interval + "\" " + Durations.INTERVAL_MESSAGE);
        }
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    var creds = spec.getCredentials();
    boolean hasRefs = spec.getAccessPolicyRefs() != null && !spec.getAccessPolicyRefs().isEmpty();
    if (creds == null || (creds.getManaged() == null) == (creds.getSecretRef() == null)) {
      problems.add("exactly one of credentials.managed or credentials.secretRef must be set");
    } else if (creds.getManaged() != null) {
      if (!hasRefs) {
        problems.add(
            "credentials.managed needs at least one entry in accessPolicyRefs: the user could read"
                + " nothing otherwise");
      }
    } else if (creds.getSecretRef().getName() == null) {
      problems.add("credentials.secretRef.name is required");
    }
    if (spec.getBucket() == null && !hasRefs) {
      problems.add("set bucket or accessPolicyRefs: without either there is nothing to verify");
    }
    return problems;
  }
}
