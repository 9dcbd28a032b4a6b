package dev.integrations.s3.verify;

import java.time.Duration;
import java.time.Instant;

/**
 * What one verification may spend: a number of requests and a point in time. Buckets beyond it are
 * reported as not probed (and come first at a later verification, see {@code offset}), so a grant
 * of 100 buckets × 50 prefixes or a storage that answers slowly never holds a reconcile thread for
 * long.
 *
 * @param maxRequests most S3 requests (lists and reads) for the whole verification
 * @param deadline no new request starts after it
 * @param offset index of the bucket to start with, so that a rotating start covers every bucket
 *     over several verifications
 */
public record ProbeBudget(int maxRequests, Instant deadline, int offset) {
  /** 64 requests, one minute. */
  public static final int DEFAULT_MAX_REQUESTS = 64;

  public static final Duration DEFAULT_TIME = Duration.ofMinutes(1);

  /** The default budget from now, starting with the first bucket. */
  public static ProbeBudget standard() {
    return new ProbeBudget(DEFAULT_MAX_REQUESTS, Instant.now().plus(DEFAULT_TIME), 0);
  }

  /** Whether another request may start. */
  boolean allows(int used) {
    return used < maxRequests && Instant.now().isBefore(deadline);
  }
}
