package dev.integrations.s3.controller.integration.plan;

import dev.integrations.s3.ownership.OwnershipRecord;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The step of the key rotation one reconcile takes: the decision, named apart from {@link
 * RotationPolicy} (what is asked: interval, overlap, rotate annotation) that it is made from. Pure;
 * {@code DeciderTest.Rotation} is its truth table.
 *
 * <p>At most one previous key: a request during an overlap waits for its end, and one sooner than
 * the store's {@code rotation.minRequestInterval} after the last rotation waits for that. A key is
 * recorded before it is issued, so a crash issues the recorded key again; the previous key is
 * retired only once the overlap is over and the Secret holds the current one, so the key the Secret
 * holds is never deleted.
 */
public sealed interface RotationStep {

  /** The record once this step is done. */
  public OwnershipRecord next();

  /** Record writes that come before any storage write: the record names a key before it exists. */
  default List<Change> recordFirst() {
    return List.of();
  }

  /** What comes after the Secret: the previous key, once the Secret holds the current one. */
  default List<Change> afterSecret() {
    return List.of();
  }

  /** Nothing to rotate now: none due, an overlap still running, or a new integration. */
  public record None(OwnershipRecord next) implements RotationStep {}

  /**
   * Rotate: consumers get a new service account, recorded first, then issued, then written to the
   * Secret; the key they held stays valid until the overlap ends.
   *
   * @param expiration the new service account's backstop
   */
  public record Issue(OwnershipRecord next, Instant expiration) implements RotationStep {
    @Override
    public List<Change> recordFirst() {
      return List.of(new Change.WriteRecord(next, true));
    }
  }

  /**
   * The overlap is over and consumers held the user's own key before: the user gets a new key that
   * nobody holds. Record first, then the reset, so a crash cannot bring the old key back.
   */
  public record RetireUserKey(OwnershipRecord next) implements RotationStep {
    @Override
    public List<Change> recordFirst() {
      return List.of(new Change.WriteRecord(next, true));
    }
  }

  /**
   * The overlap is over and the previous key was a service account: it is deleted after the Secret,
   * then the record forgets it; a crash in between deletes again (idempotent).
   *
   * @param keyId the previous service account
   */
  public record RetireServiceAccount(String keyId, OwnershipRecord next) implements RotationStep {
    @Override
    public List<Change> afterSecret() {
      return List.of(new Change.DeleteServiceAccount(keyId), new Change.WriteRecord(next, true));
    }
  }

  /**
   * The step due for an established integration.
   *
   * @param current the integration's record as observed
   * @param o what was observed (which key the Secret holds)
   * @param newKey a fresh secret key, asked for only when one is issued
   * @param newKeyId a fresh service-account access key, asked for only at a rotation
   */
  public static RotationStep decide(
      RotationPolicy policy,
      OwnershipRecord current,
      Observation o,
      Instant now,
      Supplier<String> newKey,
      Supplier<String> newKeyId) {
    if (current.previousKeyId() != null) {
      boolean secretCurrent = current.consumerSecret().equals(o.outputKey(current.consumerKeyId()));
      if (now.isBefore(current.previousUntil()) || !secretCurrent) {
        return new None(current);
      }
      OwnershipRecord next = current.withoutPrevious();
      return current.previousKeyId().equals(current.user())
          ? new RetireUserKey(next.withSecretKey(newKey.get()))
          : new RetireServiceAccount(current.previousKeyId(), next);
    }
    Instant due = policy.due(current, now);
    // a request waits for the store's spacing since the last rotation; a due time does not
    if (!policy.requestDue(current, now) && (due == null || now.isBefore(due))) {
      return new None(current);
    }
    return new Issue(
        current.rotated(
            newKeyId.get(),
            newKey.get(),
            now,
            now.plus(policy.overlap()),
            policy.token() != null ? policy.token() : current.rotateToken()),
        policy.expiration(now));
  }

  /** When a time-based step of the key rotation is next due for this record, or null. */
  public static Instant wakeAt(RotationPolicy policy, OwnershipRecord r, Instant now) {
    if (r.previousKeyId() != null) {
      return r.previousUntil(); // the overlap ends (a requested rotation waits for that)
    }
    Instant due = policy.due(r, now);
    if (policy.requested(r)) {
      Instant allowed = policy.requestAllowedAt(r);
      Instant at = allowed == null || allowed.isBefore(now) ? now : allowed;
      return due != null && due.isBefore(at) ? due : at;
    }
    return due;
  }
}
