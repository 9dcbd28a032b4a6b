package dev.integrations.s3.policy;

import dev.integrations.s3.api.v1alpha1.BucketAccess;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicySpec;
import java.util.List;

/** Maps an S3AccessPolicy spec onto the pure {@link ReadGrant} the policy code works with. */
public final class Grants {
  private Grants() {}

  /** The grant a spec describes; a null spec or bucket list becomes an empty grant. */
  public static ReadGrant fromSpec(S3AccessPolicySpec spec) {
    if (spec == null || spec.getBuckets() == null) {
      return new ReadGrant(List.of(), spec == null ? null : spec.getActions());
    }
    List<BucketGrant> buckets =
        spec.getBuckets().stream()
            .map(
                b ->
                    b == null
                        ? new BucketGrant(null, null)
                        : new BucketGrant(b.getName(), prefixes(b)))
            .toList();
    return new ReadGrant(buckets, spec.getActions());
  }

  private static List<String> prefixes(BucketAccess b) {
    return b.getPrefixes() == null ? null : List.copyOf(b.getPrefixes());
  }
}
