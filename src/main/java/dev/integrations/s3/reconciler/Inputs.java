package dev.integrations.s3.reconciler;

import dev.integrations.s3.api.v1alpha1.AddressingStyle;
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
import dev.integrations.s3.policy.PolicyValidator;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.verify.BucketScope;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What an S3Integration resolves to after reading its spec and the objects it references from the
 * informer caches. Pure: lookups are passed in as functions, so the rules here are unit-testable.
 */
record Inputs(
    StorageEndpoint endpoint,
    String userName,
    String policyName,
    String secretName,
    Duration verificationInterval,
    List<ReadGrant> grants,
    List<String> missingPolicies,
    List<String> invalidPolicies,
    List<BucketScope> scopes,
    String caPem) {

  private static final Pattern HOST =
      Pattern.compile(
          "^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$");

  boolean managed() {
    return policyName != null;
  }

  /** Reads and checks everything; throws {@link Blocked} for the first permanent problem. */
  static Inputs resolve(
      S3Integration resource,
      OperatorConfig config,
      Function<String, Optional<S3AccessPolicy>> policies,
      Function<String, Optional<Secret>> secrets) {
    S3IntegrationSpec spec = resource.getSpec();
    List<String> problems = specProblems(spec);
    if (!problems.isEmpty()) {
      throw new Blocked(
          Reasons.CREDENTIALS_READY, Reasons.INVALID_SPEC, String.join("; ", problems));
    }
    boolean managed = spec.getCredentials().getManaged() != null;
    String userName = null;
    String policyName = null;
    if (managed) {
      String given = spec.getCredentials().getManaged().getUserName();
      userName =
          given != null
              ? given
              : MinioNames.defaultUserName(
                  resource.getMetadata().getNamespace(), resource.getMetadata().getName());
      policyName = MinioNames.policyName(userName);
    }
    String secretName = secretName(resource);

    Duration interval =
        spec.getVerification() != null && spec.getVerification().getInterval() != null
            ? OperatorConfig.parseDuration(
                "verification.interval", spec.getVerification().getInterval())
            : config.defaultVerificationInterval();

    TlsSpec tls = spec.getTls();
    boolean tlsEnabled = tls == null || tls.getEnabled() == null || tls.getEnabled();
    String caPem = null;
    if (tlsEnabled && tls != null && tls.getCaSecretRef() != null) {
      String name = tls.getCaSecretRef().getName();
      String key = tls.getCaSecretRef().getKey() == null ? "ca.crt" : tls.getCaSecretRef().getKey();
      Secret ca =
          secrets
              .apply(name)
              .orElseThrow(
                  () ->
                      new Blocked(
                          Reasons.CREDENTIALS_READY,
                          Reasons.SECRET_NOT_FOUND,
                          "CA Secret \"" + name + "\" (tls.caSecretRef) not found"));
      caPem =
          ResolvedConfigSecret.value(ca, key)
              .filter(v -> !v.isBlank())
              .orElseThrow(
                  () ->
                      new Blocked(
                          Reasons.CREDENTIALS_READY,
                          Reasons.SECRET_NOT_FOUND,
                          "CA Secret \"" + name + "\" has no key \"" + key + "\""));
    }
    StorageEndpoint endpoint =
        new StorageEndpoint(
            spec.getEndpoint(),
            spec.getPort(),
            tlsEnabled,
            spec.getRegion() == null ? "us-east-1" : spec.getRegion(),
            spec.getAddressingStyle() == AddressingStyle.VIRTUAL,
            caPem,
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
    return new Inputs(
        endpoint,
        userName,
        policyName,
        secretName,
        interval,
        List.copyOf(grants),
        List.copyOf(missing),
        List.copyOf(invalid),
        scopes(spec.getBucket(), grants),
        caPem);
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

  /** Reads an access key / secret key pair from a referenced Secret. */
  static String[] keyPair(
      KeyPairSecretRef ref, String what, Function<String, Optional<Secret>> secrets) {
    Secret s =
        secrets
            .apply(ref.getName())
            .orElseThrow(
                () ->
                    new Blocked(
                        Reasons.CREDENTIALS_READY,
                        Reasons.SECRET_NOT_FOUND,
                        what + " Secret \"" + ref.getName() + "\" not found"));
    String akKey = ref.getAccessKeyKey() == null ? "accessKey" : ref.getAccessKeyKey();
    String skKey = ref.getSecretKeyKey() == null ? "secretKey" : ref.getSecretKeyKey();
    String ak = ResolvedConfigSecret.value(s, akKey).map(String::trim).orElse("");
    String sk = ResolvedConfigSecret.value(s, skKey).map(String::trim).orElse("");
    List<String> missing = new ArrayList<>();
    if (ak.isEmpty()) {
      missing.add("\"" + akKey + "\"");
    }
    if (sk.isEmpty()) {
      missing.add("\"" + skKey + "\"");
    }
    if (!missing.isEmpty()) {
      throw new Blocked(
          Reasons.CREDENTIALS_READY,
          Reasons.SECRET_NOT_FOUND,
          what
              + " Secret \""
              + ref.getName()
              + "\" has no (or an empty) key "
              + String.join(" and ", missing));
    }
    return new String[] {ak, sk};
  }
}
