package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.status.ConditionTypes.CREDENTIALS_READY;

import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.storage.minio.MinioAdmin;

/**
 * Carries out the user actions of a plan on MinIO: create, reset, delete the user, and issue or
 * delete the service accounts consumers hold after a rotation.
 */
final class MinioUserApplier {
  private MinioUserApplier() {}

  /** Whether this applier carries out the action. */
  static boolean handles(Change a) {
    return a instanceof Change.CreateUser
        || a instanceof Change.ResetUser
        || a instanceof Change.DeleteUser
        || a instanceof Change.CreateServiceAccount
        || a instanceof Change.DeleteServiceAccount;
  }

  /**
   * @param userSecret the user's own key, for create and reset
   * @param consumerSecret the key consumers get, for a service account
   * @param secretName the output Secret, for messages
   */
  static Applied apply(
      MinioAdmin admin,
      Change action,
      String userSecret,
      String consumerSecret,
      String secretName) {
    if (action instanceof Change.CreateServiceAccount a) {
      if (a.replace()) {
        StepFailure.run(CREDENTIALS_READY, () -> admin.deleteServiceAccount(a.keyId()));
      }
      StepFailure.run(
          CREDENTIALS_READY,
          () -> admin.createServiceAccount(a.user(), a.keyId(), consumerSecret, a.expiration()));
      return a.replace()
          ? new Applied(
              CREDENTIALS_READY,
              Applied.Outcome.UPDATED,
              "KeyRepaired",
              "key " + a.keyId() + " of Secret " + secretName + " was missing: issued again")
          : new Applied(
              CREDENTIALS_READY,
              Applied.Outcome.CREATED,
              "KeyRotated",
              "issued key "
                  + a.keyId()
                  + " (a service account of "
                  + a.user()
                  + ", expiring at the latest "
                  + a.expiration()
                  + ")");
    }
    if (action instanceof Change.DeleteServiceAccount a) {
      StepFailure.run(CREDENTIALS_READY, () -> admin.deleteServiceAccount(a.keyId()));
      return new Applied(
          CREDENTIALS_READY,
          Applied.Outcome.DELETED,
          "KeyRetired",
          "key " + a.keyId() + " is no longer valid");
    }
    if (action instanceof Change.CreateUser a) {
      StepFailure.run(CREDENTIALS_READY, () -> admin.createUser(a.user(), userSecret));
      return new Applied(
          CREDENTIALS_READY,
          Applied.Outcome.CREATED,
          "UserCreated",
          "created MinIO user " + a.user());
    }
    if (action instanceof Change.ResetUser a) {
      StepFailure.run(CREDENTIALS_READY, () -> admin.createUser(a.user(), userSecret));
      return new Applied(
          CREDENTIALS_READY,
          Applied.Outcome.UPDATED,
          "UserRepaired",
          "MinIO user "
              + a.user()
              + " was disabled or did not accept the key in Secret "
              + secretName
              + ": reset to that key and enabled");
    }
    if (action instanceof Change.DeleteUser a) {
      StepFailure.run(CREDENTIALS_READY, () -> admin.deleteUser(a.user()));
      return new Applied(
          CREDENTIALS_READY,
          Applied.Outcome.DELETED,
          "UserDeleted",
          "deleted MinIO user " + a.user());
    }
    throw new IllegalArgumentException("not a user action: " + action);
  }
}
