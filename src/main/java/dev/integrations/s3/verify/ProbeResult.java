package dev.integrations.s3.verify;

/**
 * What probing one bucket with the issued keys found.
 *
 * @param bucket the bucket
 * @param list the outcome of listing inside a granted prefix
 * @param get the outcome of reading the first listed object; null when it was not probed
 * @param message why a probe did not succeed, without keys or response bodies; null otherwise
 */
public record ProbeResult(String bucket, Outcome list, Outcome get, String message) {
  /** Outcome of one probe. */
  public enum Outcome {
    Allowed,
    Denied,
    NoSuchBucket,
    NoObjects,
    Error
  }
}
