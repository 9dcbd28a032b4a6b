package dev.integrations.s3.controller.integration.plan;

import dev.integrations.s3.controller.common.InputSecrets;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.ownership.OwnershipRecord;
import java.time.Instant;
import java.util.List;

/** What {@link Decider} concludes from the desired state and what was observed. */
public sealed interface Decision {

  /**
   * Something that is not ours stands in the way: nothing is written.
   *
   * @param type the condition it belongs to
   * @param reason CamelCase reason
   * @param message what is in the way and what to do, without secrets
   */
  public record Conflict(String type, String reason, String message) implements Decision {
    public StepFailure failure() {
      return StepFailure.permanent(type, reason, message);
    }
  }

  /**
   * The writes to make, in order, and what the result will be. Built by name: {@link #managed},
   * {@link #withdrawal} or {@link #validateOnly}, then {@link #withNewKey}, {@link
   * #withVerification} and {@link #wakingAt} where they apply.
   *
   * @param keys the key pair the Secret will hold (its toString masks the secret)
   * @param newKey true when the key differs from the one the Secret holds now
   * @param policyName the policy attached to the user afterwards, or null when none is
   * @param actions the writes, in order
   * @param verify whether access is to be verified in this reconcile
   * @param withdrawn when not null, the plan only takes away what is no longer allowed, and the
   *     integration then stops with this reason (fail closed)
   * @param record the ownership record once the plan is carried out (managed mode), else null
   * @param wakeAt when a time-based step is due (an overlap ends, a rotation), or null
   */
  public record Plan(
      InputSecrets.KeyPair keys,
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

    /**
     * Managed mode: consumers get the key the record names for them, the user has this policy.
     * Nothing to verify, no new key and nothing to wake for until said otherwise.
     */
    static Plan managed(OwnershipRecord record, String policyName, List<Change> actions) {
      return new Plan(consumerKeys(record), false, policyName, actions, false, null, record, null);
    }

    /**
     * An established integration of which something is no longer allowed: the changes only take
     * access away, the Secret is not written, nothing is verified, and the integration then stops
     * with {@code reason} (fail closed).
     */
    static Plan withdrawal(
        OwnershipRecord record, String policyName, List<Change> actions, Conflict reason) {
      return new Plan(
          consumerKeys(record), false, policyName, actions, false, reason, record, null);
    }

    /** Validate-only mode: the given keys go into the Secret; the storage is never written. */
    static Plan validateOnly(InputSecrets.KeyPair given) {
      return new Plan(
          given, false, null, List.of(new Change.WriteSecret()), false, null, null, null);
    }

    /** The same plan, saying whether its key differs from the one the Secret holds now. */
    Plan withNewKey(boolean differs) {
      return new Plan(keys, differs, policyName, actions, verify, withdrawn, record, wakeAt);
    }

    /** The same plan, saying whether access is verified in this reconcile. */
    Plan withVerification(boolean due) {
      return new Plan(keys, newKey, policyName, actions, due, withdrawn, record, wakeAt);
    }

    /** The same plan, to be looked at again at {@code at} (null: no time-based step). */
    Plan wakingAt(Instant at) {
      return new Plan(keys, newKey, policyName, actions, verify, withdrawn, record, at);
    }

    private static InputSecrets.KeyPair consumerKeys(OwnershipRecord record) {
      return new InputSecrets.KeyPair(record.consumerKeyId(), record.consumerSecret());
    }

    /** The access key the Secret will hold. */
    public String accessKey() {
      return keys.accessKey();
    }

    /** Its secret key (never logged). */
    public String secretKey() {
      return keys.secretKey();
    }

    /**
     * The managed user's own secret key (never logged): the record's; the same as {@code secretKey}
     * until the first rotation, and without a record (validate-only).
     */
    String userSecret() {
      return record != null ? record.secretKey() : secretKey();
    }

    @Override
    public String toString() {
      return "Plan[accessKey="
          + dev.integrations.s3.secret.AccessKeys.shown(accessKey()).orElse("<not shown>")
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
