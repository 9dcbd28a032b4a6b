package dev.integrations.s3.controller.integration;

import dev.integrations.s3.ownership.OwnershipRecord;
import java.time.Instant;

/**
 * One write the decision asks for, in the order it must happen. Appliers carry them out; a unit
 * test can read a plan as a list of these without any server.
 */
sealed interface Change {
  /**
   * Record the user, its policy and its key in the operator's namespace: before the user exists
   * ({@code update} false: created, so that two writers cannot both issue a key), and before any
   * key it names is issued ({@code update} true: a rotation, the end of an overlap).
   */
  record WriteRecord(OwnershipRecord record, boolean update) implements Change {
    WriteRecord(OwnershipRecord record) {
      this(record, false);
    }
  }

  /**
   * Create the service account consumers get at a rotation, with the plan's key, expiring at {@code
   * expiration} as a backstop; {@code replace}: it went missing or stopped working, so whatever is
   * left of it is deleted first.
   */
  record CreateServiceAccount(String user, String keyId, Instant expiration, boolean replace)
      implements Change {}

  /** Delete a service account: the previous key, once its overlap is over. */
  record DeleteServiceAccount(String keyId) implements Change {}

  /** Create the MinIO user with the plan's user key. */
  record CreateUser(String user) implements Change {}

  /** Re-add our existing user with the plan's key: enables it and sets the key, keeps policies. */
  record ResetUser(String user) implements Change {}

  /** Create ({@code exists} false) or replace the policy document. */
  record PutPolicy(String name, String document, boolean exists) implements Change {}

  /** Make exactly this policy the user's policy set. */
  record AttachPolicy(String user, String policy) implements Change {}

  /** Remove every policy from the user: it can read nothing. */
  record DetachAllPolicies(String user) implements Change {}

  /** Delete our policy. */
  record DeletePolicy(String name) implements Change {}

  /** Delete our user. */
  record DeleteUser(String user) implements Change {}

  /** Forget the user: delete its record (last, after the storage is cleaned up). */
  record DeleteRecord(OwnershipRecord record) implements Change {}

  /** Write the output Secret (create, or update what differs): a copy for consumers, last. */
  record WriteSecret() implements Change {}
}
