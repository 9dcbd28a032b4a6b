package dev.integrations.s3.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Read access to one bucket, either to all of it or to the objects under some key prefixes.
 *
 * <p>A prefix such as {@code "reports/2024/"} is literal: the operator appends the {@code *}
 * wildcard itself, so the user cannot widen the grant by accident. No prefixes means the whole
 * bucket. The record keeps the values as given (null elements included) so that {@link
 * PolicyValidator} can report them; only a null list becomes an empty one.
 *
 * @param bucket the bucket name
 * @param prefixes key prefixes, empty for the whole bucket; never null
 */
public record BucketGrant(String bucket, List<String> prefixes) {

  /** Copies {@code prefixes} into an unmodifiable list; null becomes empty. */
  public BucketGrant {
    prefixes =
        prefixes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(prefixes));
  }

  /** Read access to the whole of {@code bucket}. */
  public static BucketGrant wholeBucket(String bucket) {
    return new BucketGrant(bucket, List.of());
  }

  /** Read access to the objects of {@code bucket} under the given prefixes. */
  public static BucketGrant withPrefixes(String bucket, String... prefixes) {
    return new BucketGrant(bucket, Arrays.asList(prefixes));
  }

  /** Whether the grant covers the whole bucket. */
  public boolean isWholeBucket() {
    return prefixes.isEmpty();
  }
}
