package dev.integrations.s3.consumer;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An object locator {@code s3://bucket/key}. The key is kept verbatim (spaces, unicode, slashes);
 * it is URL-encoded only when a request is signed.
 *
 * @param bucket a valid S3 bucket name
 * @param key the object key, non-empty
 */
public record S3Locator(String bucket, String key) {
  private static final String SCHEME = "s3://";
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  public S3Locator {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    if (!isValidBucketName(bucket)) {
      throw new IllegalArgumentException(
          "\"" + bucket + "\" is not a valid S3 bucket name" + BUCKET_RULES);
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException("the object key must not be empty");
    }
  }

  private static final String BUCKET_RULES =
      " (3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or"
          + " digit, no \"..\")";

  /**
   * Parses {@code s3://bucket/key} strictly.
   *
   * @throws IllegalArgumentException naming the locator and what is wrong with it
   */
  public static S3Locator parse(String locator) {
    if (locator == null) {
      throw new IllegalArgumentException("locator is missing (expected s3://bucket/key)");
    }
    if (!locator.startsWith(SCHEME)) {
      throw bad(locator, "it must start with s3://");
    }
    String rest = locator.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw bad(locator, "it names no object key");
    }
    String bucket = rest.substring(0, slash);
    String key = rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw bad(locator, "it names no bucket");
    }
    if (!isValidBucketName(bucket)) {
      throw bad(locator, "\"" + bucket + "\" is not a valid S3 bucket name" + BUCKET_RULES);
    }
    if (key.isEmpty()) {
      throw bad(locator, "it names no object key");
    }
    return new S3Locator(bucket, key);
  }

  /** True for names of 3-63 lower-case letters, digits, dots and hyphens, as S3 requires. */
  public static boolean isValidBucketName(String name) {
    return name != null && BUCKET.matcher(name).matches() && !name.contains("..");
  }

  private static IllegalArgumentException bad(String locator, String why) {
    return new IllegalArgumentException(
        "invalid S3 locator \"" + locator + "\": " + why + " (expected s3://bucket/key)");
  }

  /** The locator as {@code s3://bucket/key}. */
  @Override
  public String toString() {
    return SCHEME + bucket + "/" + key;
  }
}
