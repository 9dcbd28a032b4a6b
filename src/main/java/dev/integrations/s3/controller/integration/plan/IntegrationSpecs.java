package dev.integrations.s3.controller.integration.plan;

import dev.integrations.s3.api.v1alpha1.Durations;
import dev.integrations.s3.api.v1alpha1.S3IntegrationSpec;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.policy.BucketNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's own check of an S3Integration spec, behind the schema's (the twin of {@code
 * store.StoreSpecs}). Pure.
 *
 * <p>It lives beside {@link IntegrationModel}, not in {@code api.v1alpha1}: that package holds data
 * and schema annotations only, and these checks use {@code policy.BucketNames} and {@code
 * config.OperatorConfig}, which both import the API ({@code Grants.fromSpec}, {@code Durations}),
 * so the move would make the two packages import each other. The bounds they check ({@link
 * Durations}) stay in the API.
 */
public final class IntegrationSpecs {
  private IntegrationSpecs() {}

  /** Every problem of the spec, each naming the value; empty when it is usable. */
  public static List<String> problems(S3IntegrationSpec spec) {
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
