package dev.integrations.s3.controller.integration;

import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.ownership.OwnershipRecord;
import java.time.Instant;
import java.util.List;

/** What {@link Decider} concludes from the desired state and what was observed. */
sealed interface Decision {

  /**
   * Something that is not ours stands in the way: nothing is written.
   *
   * @param type the condition it belongs to
   * @param reason CamelCase reason
   * @param message what is in the way and what to do, without secrets
   */
  record Conflict(String type, String reason, String message) implements Decision {
    StepFailure failure() {
      return StepFailure.permanent(type, reason, message);
    }
  }

  /**
   * The writes to make, in order, and what the result will be.
   *
   * @param accessKey the access key the Secret will hold
   * @param secretKey its secret key (never logged)
   * @param newKey true when the key differs from the one the Secret holds now
   * @param policyName the policy attached to the user afterwards, or null when none is
   * @param actions the writes, in order
   * @param verify whether access is to be verified in this reconcile
   * @param withdrawn when not null, the plan only takes away what is no longer allowed, and the
   *     integration then stops with this reason (fail closed)
   * @param record the ownership record once the plan is carried out (managed mode), else null
   * @param wakeAt when a time-based step is due (an overlap ends, a rotation), or null
   */
  record Plan(
      String accessKey,
      String secretKey,
      boolean newKey,
      String policyName,
      List<Change> actions,
      boolean verify,
      Conflict withdrawn,
      OwnershipRecord record,
      Instant wakeAt)
      implements Decision {
    public Plan {
      actions = List.copyOf(actions);
    }

    /** A plan without rotation: consumers hold the user's own key (or the given one). */
    Plan(
        String accessKey,
        String secretKey,
        boolean newKey,
        String policyName,
        List<Change> actions,
        boolean verify,
        Conflict withdrawn) {
      this(accessKey, secretKey, newKey, policyName, actions, verify, withdrawn, null, null);
    }

    /**
     * The managed user's own secret key (never logged): the record's; the same as {@code secretKey}
     * until the first rotation, and without a record (validate-only).
     */
    String userSecret() {
      return record != null ? record.secretKey() : secretKey;
    }

    @Override
    public String toString() {
      return "Plan[accessKey="
          + accessKey
          + ", newKey="
          + newKey
          + ", policyName="
          + policyName
          + ", actions="
          + actions
          + ", verify="
          + verify
          + ", withdrawn="
          + withdrawn
          + ", record="
          + record
          + ", wakeAt="
          + wakeAt
          + "]";
    }
  }
}
