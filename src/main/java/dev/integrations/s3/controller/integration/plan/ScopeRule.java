package dev.integrations.s3.controller.integration.plan;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Reasons;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * In one namespace at most one integration applies to all buckets and at most one to a given
 * bucket; the later one (by creation time, then name) waits with ScopeConflict. Pure.
 */
public final class ScopeRule {
  private static final Comparator<S3Integration> AGE =
      Comparator.comparing(
              (S3Integration i) -> i.getMetadata().getCreationTimestamp(),
              Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(i -> i.getMetadata().getName());

  private ScopeRule() {}

  /** The conflict this integration is in with an earlier peer, if any. */
  public static Optional<StepFailure> conflict(
      S3Integration resource, Collection<S3Integration> peers) {
    String scope = resource.getSpec().getBucket();
    return peers.stream()
        .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
        .filter(o -> o.getSpec() != null && Objects.equals(o.getSpec().getBucket(), scope))
        .filter(o -> AGE.compare(o, resource) < 0)
        .min(AGE)
        .map(
            earlier ->
                StepFailure.permanent(
                    ConditionTypes.READY,
                    Reasons.SCOPE_CONFLICT,
                    "S3Integration \""
                        + earlier.getMetadata().getName()
                        + "\" already "
                        + (scope == null
                            ? "applies to all buckets"
                            : "is scoped to bucket \"" + scope + "\"")
                        + " in this namespace; only one may. This one waits until that one is"
                        + " deleted or its scope changes"));
  }
}
