package dev.integrations.s3.controller.integration.plan;

import static dev.integrations.s3.status.ConditionTypes.ACCESS_VERIFIED;

import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.status.Conditions;
import java.time.Duration;
import java.time.Instant;

/**
 * When access is verified again: once per interval while it succeeds, sooner while it does not.
 * Pure; read by the decision (is a verification due now?) and by the reconciler (when to look
 * again).
 */
public final class VerificationSchedule {
  private VerificationSchedule() {}

  /** When access was last verified, or null. */
  public static Instant lastVerified(S3IntegrationStatus status) {
    try {
      return status.getLastVerifiedTime() == null
          ? null
          : Instant.parse(status.getLastVerifiedTime());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A failing verification is repeated after a sixth of the interval, but not within 10 s. */
  public static final Duration FAILING_RECHECK_FLOOR = Duration.ofSeconds(10);

  /**
   * How long until the next verification is due (at least one second): the interval after the last
   * one, or a sixth of it while access is not verified (a bucket created or a grant fixed on the
   * storage side shows up soon, without a probe per second).
   */
  public static Duration untilNext(S3IntegrationStatus status, Duration interval, Instant now) {
    Instant last = lastVerified(status);
    boolean verified = Conditions.isTrue(status.getConditions(), ACCESS_VERIFIED);
    Duration period = verified ? interval : failingRecheck(interval);
    Duration left = last == null ? Duration.ZERO : Duration.between(now, last.plus(period));
    return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
  }

  public static Duration failingRecheck(Duration interval) {
    Duration sixth = interval.dividedBy(6);
    return sixth.compareTo(FAILING_RECHECK_FLOOR) < 0
        ? (interval.compareTo(FAILING_RECHECK_FLOOR) < 0 ? interval : FAILING_RECHECK_FLOOR)
        : sixth;
  }
}
