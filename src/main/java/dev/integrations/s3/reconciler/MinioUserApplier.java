package dev.integrations.s3.reconciler;

import static dev.integrations.s3.status.ConditionTypes.CREDENTIALS_READY;

import dev.integrations.s3.minio.MinioAdmin;

/** Carries out the user actions of a plan on MinIO: create, reset, delete. */
final class MinioUserApplier {
  private MinioUserApplier() {}

  /** Whether this applier carries out the action. */
  static boolean handles(Action a) {
    return a instanceof Action.CreateUser
        || a instanceof Action.ResetUser
        || a instanceof Action.DeleteUser;
  }

  /**
   * @param secretKey the plan's key, for create and reset
   * @param secretName the output Secret, for messages
   */
  static Applied apply(MinioAdmin admin, Action action, String secretKey, String secretName) {
    if (action instanceof Action.CreateUser a) {
      StepFailure.run(CREDENTIALS_READY, () -> admin.createUser(a.user(), secretKey));
      return new Applied(
          CREDENTIALS_READY,
          Applied.Outcome.CREATED,
          "UserCreated",
          "created MinIO user " + a.user());
    }
    if (action instanceof Action.ResetUser a) {
      StepFailure.run(CREDENTIALS_READY, () -> admin.createUser(a.user(), secretKey));
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
    if (action instanceof Action.DeleteUser a) {
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
