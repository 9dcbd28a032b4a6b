package dev.integrations.s3.controller.store;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A store's last passing check and the generation it checked. It stands, and the store is not
 * checked again, until the verification interval has passed or the spec changes: integrations
 * coming and going (which reconcile the store to count them) then cost no storage calls. A failing
 * check is never kept, so every reconcile after one tries again.
 *
 * @param generation the store's generation when it passed
 * @param atNanos when it passed ({@link System#nanoTime})
 */
record PassedCheck(Long generation, long atNanos) {

  /**
   * How long a check still stands for a store now at {@code generation}, or empty when the store
   * must be checked now.
   *
   * @param last the last passing check, or null when there is none
   */
  static Optional<Duration> standsFor(
      PassedCheck last, Long generation, Duration interval, long nowNanos) {
    if (last == null || !Objects.equals(last.generation, generation)) {
      return Optional.empty();
    }
    Duration age = Duration.ofNanos(nowNanos - last.atNanos);
    return age.compareTo(interval) < 0 ? Optional.of(interval.minus(age)) : Optional.empty();
  }
}
