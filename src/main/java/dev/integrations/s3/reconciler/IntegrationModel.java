package dev.integrations.s3.reconciler;

import dev.integrations.s3.api.v1alpha1.AddressingStyle;
import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.CaSecretRef;
import dev.integrations.s3.api.v1alpha1.KeyPairSecretRef;
import dev.integrations.s3.api.v1alpha1.PolicyRef;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationSpec;
import dev.integrations.s3.api.v1alpha1.TlsSpec;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.minio.MinioNames;
import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.BucketNames;
import dev.integrations.s3.policy.Grants;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.PolicyValidator;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.verify.BucketScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The desired state of one S3Integration: what its spec, the S3AccessPolicies it references and the
 * operator's settings ask for, before anything is read from Secrets or the storage. Pure: policies
 * are looked up through a function, so every rule here is unit-testable.
 *
 * @param managed the operator creates the user and policy (else it validates given keys)
 * @param userName the MinIO user (managed mode), else null
 * @param policyName the MinIO policy {@code s3i-<user>} (managed mode), else null
 * @param document the merged policy document of the valid grants, or null when there are none
 * @param grants how many referenced policies are valid and merged
 * @param missingPolicies referenced S3AccessPolicies that do not exist
 * @param invalidPolicies referenced S3AccessPolicies whose spec is invalid
 * @param scopes buckets (and prefixes) to verify
 * @param bucket the one bucket the integration is scoped to, or null for all buckets
 * @param secretName the output Secret
 * @param interval how often access is verified
 * @param endpoint the storage endpoint, without its CA (read from a Secret later)
 * @param caRef the CA Secret, or null
 * @param keysRef the admin keys (managed) or the given keys (validate-only)
 */
record IntegrationModel(
    boolean managed,
    String userName,
    String policyName,
    String document,
    int grants,
    List<String> missingPolicies,
    List<String> invalidPolicies,
    List<BucketScope> scopes,
    String bucket,
    String secretName,
    Duration interval,
    StorageEndpoint endpoint,
    CaSecretRef caRef,
    KeyPairSecretRef keysRef) {

  private static final Pattern HOST = Pattern.compile(ApiGroup.HOST_PATTERN);

  /**
   * The desired state of this integration.
   *
   * @throws StepFailure InvalidSpec, naming every problem, when the spec is not usable
   */
  static IntegrationModel from(
      S3Integration resource,
      Function<String, Optional<S3AccessPolicy>> policies,
      OperatorConfig config) {
    S3IntegrationSpec spec = resource.getSpec();
    List<String> problems = specProblems(spec);
    if (!problems.isEmpty()) {
      throw StepFailure.permanent(
          ConditionTypes.READY, Reasons.INVALID_SPEC, String.join("; ", problems));
    }
    boolean managed = spec.getCredentials().getManaged() != null;
    String userName = null;
    if (managed) {
      String given = spec.getCredentials().getManaged().getUserName();
      userName =
          given != null
              ? given
              : MinioNames.defaultUserName(
                  resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    }
    Duration interval =
        spec.getVerification() != null && spec.getVerification().getInterval() != null
            ? OperatorConfig.parseDuration(
                "verification.interval", spec.getVerification().getInterval())
            : config.defaultVerificationInterval();

    TlsSpec tls = spec.getTls();
    boolean tlsEnabled = tls == null || tls.getEnabled() == null || tls.getEnabled();
    StorageEndpoint endpoint =
        new StorageEndpoint(
            spec.getEndpoint(),
            spec.getPort(),
            tlsEnabled,
            spec.getRegion() == null ? "us-east-1" : spec.getRegion(),
            spec.getAddressingStyle() == AddressingStyle.VIRTUAL,
            null,
            StorageEndpoint.DEFAULT_CONNECT_TIMEOUT,
            StorageEndpoint.DEFAULT_READ_TIMEOUT);

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
    return new IntegrationModel(
        managed,
        userName,
        managed ? MinioNames.policyName(userName) : null,
        grants.isEmpty() ? null : PolicyDocument.merge(grants),
        grants.size(),
        List.copyOf(missing),
        List.copyOf(invalid),
        scopes(spec.getBucket(), grants),
        spec.getBucket(),
        secretName(resource),
        interval,
        endpoint,
        tlsEnabled && tls != null ? tls.getCaSecretRef() : null,
        managed
            ? spec.getCredentials().getManaged().getAdminSecretRef()
            : spec.getCredentials().getSecretRef());
  }

  /** The resolved-config Secret's name: spec.secretName, or {@code <name>-s3}. */
  static String secretName(S3Integration resource) {
    S3IntegrationSpec spec = resource.getSpec();
    return spec != null && spec.getSecretName() != null
        ? spec.getSecretName()
        : resource.getMetadata().getName() + "-s3";
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
      return List.of("spec is missing");
    }
    if (spec.getEndpoint() == null || !HOST.matcher(spec.getEndpoint()).matches()) {
      problems.add(
          "endpoint \""
              + spec.getEndpoint()
              + "\" must be a host name or IP address without scheme, port or path");
    }
    if (spec.getPort() != null && (spec.getPort() < 1 || spec.getPort() > 65535)) {
      problems.add("port " + spec.getPort() + " must be between 1 and 65535");
    }
    if (spec.getBucket() != null) {
      BucketNames.problem(spec.getBucket()).ifPresent(problems::add);
    }
    if (spec.getVerification() != null && spec.getVerification().getInterval() != null) {
      try {
        OperatorConfig.parseDuration("verification.interval", spec.getVerification().getInterval());
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    var creds = spec.getCredentials();
    boolean hasRefs = spec.getAccessPolicyRefs() != null && !spec.getAccessPolicyRefs().isEmpty();
    if (creds == null || (creds.getManaged() == null) == (creds.getSecretRef() == null)) {
      problems.add("exactly one of credentials.managed or credentials.secretRef must be set");
    } else if (creds.getManaged() != null) {
      if (creds.getManaged().getAdminSecretRef() == null
          || creds.getManaged().getAdminSecretRef().getName() == null) {
        problems.add("credentials.managed.adminSecretRef.name is required");
      }
      if (creds.getManaged().getUserName() != null) {
        MinioNames.userNameProblem(creds.getManaged().getUserName()).ifPresent(problems::add);
      }
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
