package dev.integrations.s3.verify;

import java.util.List;

/**
 * One bucket to verify and the prefixes the grant limits it to (empty: the whole bucket).
 *
 * @param bucket bucket name
 * @param prefixes granted key prefixes; listing and reading are probed inside the first one
 */
public record BucketScope(String bucket, List<String> prefixes) {
  public BucketScope {
    prefixes = prefixes == null ? List.of() : List.copyOf(prefixes);
  }
}
