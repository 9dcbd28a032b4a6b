package dev.integrations.s3.controller.integration.plan;

import dev.integrations.s3.ownership.OwnershipRecord;
import java.time.Instant;

/**
 * One write the decision asks for, in the order it must happen. Appliers carry them out; a unit
 * test can read a plan as a list of these without any server. A change that issues a key carries
 * it, so an applier needs nothing but the admin connection and the change; its {@code toString}
 * never prints the key (plans are logged at debug).
 */
public sealed interface Change {
  /**
   * Record the user, its policy and its key in the operator's namespace: before the user exists
   * ({@code update} false: created, so that two writers cannot both issue a key), and before any
   * key it names is issued ({@code update} true: a rotation, the end of an overlap).
   */
  public record WriteRecord(OwnershipRecord record, boolean update) implements Change {
    WriteRecord(OwnershipRecord record) {
      this(record, false);
    }
  }

  /**
   * Issue the service account consumers get at a rotation: a new key, expiring at {@code
   * expiration} as a backstop.
   *
   * @param secret its secret key (never logged)
   */
  public record CreateServiceAccount(String user, String keyId, String secret, Instant expiration)
      implements Change {
    @Override
    public String toString() {
      return "CreateServiceAccount[user="
          + user
          + ", keyId="
          + keyId
          + ", secret=<redacted>, expiration="
          + expiration
          + "]";
    }
  }

  /**
   * Issue the recorded service account again: it went missing or stopped working, so whatever is
   * left of it is deleted first, and it is created with the recorded key and backstop.
   *
   * @param secret its secret key (never logged)
   * @param secretName the output Secret that holds the key, for the Event
   */
  public record ReissueServiceAccount(
      String user, String keyId, String secret, Instant expiration, String secretName)
      implements Change {
    @Override
    public String toString() {
      return "ReissueServiceAccount[user="
          + user
          + ", keyId="
          + keyId
          + ", secret=<redacted>, expiration="
          + expiration
          + ", secretName="
          + secretName
          + "]";
    }
  }

  /** Delete a service account: the previous key, once its overlap is over. */
  public record DeleteServiceAccount(String keyId) implements Change {}

  /**
   * Create the MinIO user with its recorded key.
   *
   * @param secretKey the user's own secret key (never logged)
   */
  public record CreateUser(String user, String secretKey) implements Change {
    @Override
    public String toString() {
      return "CreateUser[user=" + user + ", secretKey=<redacted>]";
    }
  }

  /**
   * Re-add our existing user with its recorded key: enables it and sets the key, keeps policies.
   *
   * @param secretKey the user's own secret key (never logged)
   * @param secretName the output Secret, for the Event
   */
  public record ResetUser(String user, String secretKey, String secretName) implements Change {
    @Override
    public String toString() {
      return "ResetUser[user=" + user + ", secretKey=<redacted>, secretName=" + secretName + "]";
    }
  }

  /** Create ({@code exists} false) or replace the policy document. */
  public record PutPolicy(String name, String document, boolean exists) implements Change {}

  /** Make exactly this policy the user's policy set. */
  public record AttachPolicy(String user, String policy) implements Change {}

  /** Remove every policy from the user: it can read nothing. */
  public record DetachAllPolicies(String user) implements Change {}

  /** Delete our policy. */
  public record DeletePolicy(String name) implements Change {}

  /** Delete our user. */
  public record DeleteUser(String user) implements Change {}

  /** Forget the user: delete its record (last, after the storage is cleaned up). */
  public record DeleteRecord(OwnershipRecord record) implements Change {}

  /** Write the output Secret (create, or update what differs): a copy for consumers, last. */
  public record WriteSecret() implements Change {}
}
