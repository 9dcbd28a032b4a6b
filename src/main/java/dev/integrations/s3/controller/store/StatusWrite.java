package dev.integrations.s3.controller.store;

import dev.integrations.s3.api.v1alpha1.StoreStatus;
import dev.integrations.s3.status.Statuses;
import java.time.Duration;

/**
 * Whether a store's status is written now. Only a changed status is written; a change of nothing
 * but the count of integrations ({@code status.integrations}) at most once per {@link
 * #COUNT_WRITE_SPACING}: a store shared by thousands would otherwise write its status once per
 * integration added. A count held back is not lost: the next write carries the count as it is then.
 *
 * @param when unchanged, held back, or now
 * @param delay how long a held-back count waits (zero otherwise)
 */
record StatusWrite(When when, Duration delay) {
  /** The shortest time between two status writes that change only the count of integrations. */
  static final Duration COUNT_WRITE_SPACING = Duration.ofSeconds(5);

  enum When {
    /** The status is as it should be: nothing to write. */
    UNCHANGED,
    /** Only the count changed, and a count was written less than the spacing ago. */
    COUNT_LATER,
    /** Only the count changed, and the spacing has passed: write, and note when. */
    COUNT_NOW,
    /** Something besides the count changed: write at once. */
    NOW
  }

  /**
   * @param countWrittenAtNanos when this store's status was last written with nothing but a new
   *     count ({@link System#nanoTime}), or null when never
   */
  static StatusWrite decide(
      StoreStatus desired, StoreStatus current, Long countWrittenAtNanos, long nowNanos) {
    if (Statuses.same(desired, current)) {
      return new StatusWrite(When.UNCHANGED, Duration.ZERO);
    }
    if (!onlyCountDiffers(desired, current)) {
      return new StatusWrite(When.NOW, Duration.ZERO);
    }
    Duration left =
        countWrittenAtNanos == null
            ? Duration.ZERO
            : COUNT_WRITE_SPACING.minus(Duration.ofNanos(nowNanos - countWrittenAtNanos));
    return left.isNegative() || left.isZero()
        ? new StatusWrite(When.COUNT_NOW, Duration.ZERO)
        : new StatusWrite(When.COUNT_LATER, left);
  }

  private static boolean onlyCountDiffers(StoreStatus desired, StoreStatus current) {
    StoreStatus counted = Statuses.copy(desired, StoreStatus.class);
    counted.setIntegrations(current.getIntegrations());
    return Statuses.same(counted, current);
  }
}
