package dev.integrations.s3.policy;

import static dev.integrations.s3.policy.Quoting.quote;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The S3 actions a read grant may contain.
 *
 * <p>The operator only ever hands out read access, so the accepted actions are a closed list of
 * exact names: no write actions and no wildcards (a wildcard such as {@code s3:Get*} would silently
 * widen as the storage server adds actions). Actions are either object-level (their resource is
 * {@code arn:aws:s3:::bucket/key}) or bucket-level (their resource is {@code arn:aws:s3:::bucket}),
 * which decides which resources a policy statement needs.
 */
public final class ReadActions {

  /** Read an object. Object-level. */
  public static final String GET_OBJECT = "s3:GetObject";

  /** List the objects of a bucket. Bucket-level, can be narrowed with the s3:prefix condition. */
  public static final String LIST_BUCKET = "s3:ListBucket";

  /** Read the region of a bucket. Bucket-level, always granted on the whole bucket. */
  public static final String GET_BUCKET_LOCATION = "s3:GetBucketLocation";

  /** Read a specific version of an object. Object-level. */
  public static final String GET_OBJECT_VERSION = "s3:GetObjectVersion";

  /** Every accepted action, in documentation order. */
  public static final Set<String> ALLOWED =
      Collections.unmodifiableSet(
          new LinkedHashSet<>(
              List.of(GET_OBJECT, LIST_BUCKET, GET_BUCKET_LOCATION, GET_OBJECT_VERSION)));

  /** Actions whose resource is an object ARN {@code arn:aws:s3:::bucket/...}. */
  public static final Set<String> OBJECT_LEVEL = Set.of(GET_OBJECT, GET_OBJECT_VERSION);

  /** Actions whose resource is the bucket ARN {@code arn:aws:s3:::bucket}. */
  public static final Set<String> BUCKET_LEVEL = Set.of(LIST_BUCKET, GET_BUCKET_LOCATION);

  /** The actions used when a grant names none: read objects and list them. */
  public static final List<String> DEFAULT = List.of(GET_OBJECT, LIST_BUCKET);

  private static final String ALLOWED_TEXT = String.join(", ", ALLOWED);

  private ReadActions() {}

  /**
   * Returns why {@code action} may not be granted, or empty when it is an allowed read action.
   *
   * @param action the action name, may be null
   * @return one message naming the value and listing the allowed actions
   */
  public static Optional<String> problem(String action) {
    if (action == null) {
      return Optional.of("action must be set: only read actions " + ALLOWED_TEXT + " are allowed");
    }
    if (ALLOWED.contains(action)) {
      return Optional.empty();
    }
    String q = "action " + quote(action) + " is not allowed: ";
    if (action.indexOf('*') >= 0 || action.indexOf('?') >= 0) {
      return Optional.of(
          q + "wildcards are not accepted, only read actions " + ALLOWED_TEXT + " are");
    }
    for (String allowed : ALLOWED) {
      if (allowed.equalsIgnoreCase(action.strip())) {
        return Optional.of(
            q
                + "write it exactly as "
                + quote(allowed)
                + "; only read actions "
                + ALLOWED_TEXT
                + " are");
      }
    }
    return Optional.of(q + "only read actions " + ALLOWED_TEXT + " are");
  }

  /** Whether an allowed {@code action} applies to objects rather than to the bucket itself. */
  public static boolean isObjectLevel(String action) {
    return action != null && OBJECT_LEVEL.contains(action);
  }

  /** Whether an allowed {@code action} applies to the bucket itself. */
  public static boolean isBucketLevel(String action) {
    return action != null && BUCKET_LEVEL.contains(action);
  }
}
