package dev.integrations.s3.controller.integration;

import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Reasons;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The end of one reconcile's time: checked after observing and before each write, so that a storage
 * that answers slowly holds a reconcile thread for the budget at most (plus one call's timeout),
 * never for hours.
 */
final class Deadline {
  private final Clock clock;
  private final Duration budget;
  private final Instant end;

  Deadline(Clock clock, Duration budget) {
    this.clock = clock;
    this.budget = budget;
    this.end = Instant.now(clock).plus(budget);
  }

  Instant end() {
    return end;
  }

  /** Gives up (to retry later, ReconcileTimeout) when the reconcile's time is spent. */
  void check(String where) {
    if (Instant.now(clock).isAfter(end)) {
      throw StepFailure.transientFailure(
          ConditionTypes.READY,
          Reasons.RECONCILE_TIMEOUT,
          "the reconcile took longer than "
              + budget.toMinutes()
              + " minutes ("
              + where
              + "): the storage answers slowly; retrying with backoff");
    }
  }
}
