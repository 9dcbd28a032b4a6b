package dev.integrations.s3.controller.integration.plan;

import static dev.integrations.s3.status.ConditionTypes.ACCESS_VERIFIED;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

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

  /**
   * The least time from a verification to one the verify annotation asks for: a tenant who sets a
   * new value every second gets a verification (up to 64 S3 requests) every 10 s at most, the floor
   * of a failing verification's recheck, not one per write.
   */
  public static final Duration REQUEST_SPACING = FAILING_RECHECK_FLOOR;

  /** The verify annotation's value ({@link RequestToken}), or null when absent or blank. */
  public static String request(S3Integration resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return RequestToken.of(
        annotations == null ? null : annotations.get(ApiGroup.VERIFY_ANNOTATION));
  }

  /** Whether {@code request} is a value no verification ran for yet. */
  public static boolean requested(String request, S3IntegrationStatus status) {
    return request != null && !Objects.equals(request, status.getLastVerifyRequest());
  }

  /**
   * When a verification the annotation asks for may run: {@link #REQUEST_SPACING} after the last
   * one; null when none is asked for.
   */
  public static Instant requestAllowedAt(String request, S3IntegrationStatus status) {
    if (!requested(request, status)) {
      return null;
    }
    Instant last = lastVerified(status);
    return last == null ? Instant.EPOCH : last.plus(REQUEST_SPACING);
  }

  /** Whether the annotation asks for a verification that may run now. */
  public static boolean requestDue(String request, S3IntegrationStatus status, Instant now) {
    Instant allowed = requestAllowedAt(request, status);
    return allowed != null && !now.isBefore(allowed);
  }

  public static Duration failingRecheck(Duration interval) {
    Duration sixth = interval.dividedBy(6);
    return sixth.compareTo(FAILING_RECHECK_FLOOR) < 0
        ? (interval.compareTo(FAILING_RECHECK_FLOOR) < 0 ? interval : FAILING_RECHECK_FLOOR)
        : sixth;
  }
}
