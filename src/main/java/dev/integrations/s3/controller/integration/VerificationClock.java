package dev.integrations.s3.controller.integration;

import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.controller.integration.plan.VerificationSchedule;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each integration was last verified, kept in memory, so that a verification whose results are
 * unchanged writes nothing: {@code status.lastVerifiedTime} moves only when the results do. Writing
 * it every interval cost one status write per integration per interval (10,000 integrations at 10
 * minutes: 17 writes a second to etcd, for no news). After a restart the map is empty and the
 * status time stands in: every integration whose status time is older than its interval is verified
 * once, within the reconcile threads.
 */
final class VerificationClock {
  private final Map<String, Instant> last = new ConcurrentHashMap<>();
  private final java.util.Set<String> rejected = ConcurrentHashMap.newKeySet();

  /** The later of the remembered verification and the one status records, or null. */
  Instant last(String uid, S3IntegrationStatus status) {
    Instant remembered = last.get(uid);
    Instant recorded = VerificationSchedule.lastVerified(status);
    if (remembered == null) {
      return recorded;
    }
    return recorded == null || remembered.isAfter(recorded) ? remembered : recorded;
  }

  /**
   * A copy of the status for scheduling: its {@code lastVerifiedTime} the latest known one. Only
   * read by the decision and the wait computation, never written.
   */
  S3IntegrationStatus forScheduling(String uid, S3IntegrationStatus status) {
    Instant when = last(uid, status);
    if (when == null || when.equals(VerificationSchedule.lastVerified(status))) {
      return status;
    }
    S3IntegrationStatus copy =
        dev.integrations.s3.status.Statuses.copy(status, S3IntegrationStatus.class);
    copy.setLastVerifiedTime(when.toString());
    return copy;
  }

  void verified(String uid, Instant when) {
    last.put(uid, when);
    rejected.remove(uid);
  }

  /** The last probe found the probed key rejected: authenticate it before the next decision. */
  void rejected(String uid) {
    rejected.add(uid);
  }

  boolean keyRejected(String uid) {
    return rejected.contains(uid);
  }

  /** The integration is gone. */
  void forget(String uid) {
    last.remove(uid);
    rejected.remove(uid);
  }

  int size() {
    return last.size();
  }
}
