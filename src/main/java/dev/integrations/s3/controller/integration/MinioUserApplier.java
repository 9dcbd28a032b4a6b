package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.status.ConditionTypes.CREDENTIALS_READY;

import dev.integrations.s3.controller.common.Applied;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.integration.plan.Change;
import dev.integrations.s3.storage.minio.MinioAdmin;

/**
 * Carries out the user changes of a plan on MinIO: create, reset, delete the user, and issue or
 * delete the service accounts consumers hold after a rotation. Each change carries the key it
 * issues, so nothing but the admin connection and the change is needed.
 */
final class MinioUserApplier {
  private MinioUserApplier() {}

  /** Whether this applier carries out the change. */
  static boolean handles(Change a) {
    return a instanceof Change.CreateUser
        || a instanceof Change.ResetUser
        || a instanceof Change.DeleteUser
        || a instanceof Change.CreateServiceAccount
        || a instanceof Change.ReissueServiceAccount
        || a instanceof Change.DeleteServiceAccount;
  }

  static Applied apply(MinioAdmin admin, Change change) {
    if (change instanceof Change.CreateServiceAccount a) {
      return issue(admin, a);
    }
    if (change instanceof Change.ReissueServiceAccount a) {
      return reissue(admin, a);
    }
    if (change instanceof Change.DeleteServiceAccount a) {
      StepFailure.run(CREDENTIALS_READY, () -> admin.deleteServiceAccount(a.keyId()));
      return new Applied(
          CREDENTIALS_READY,
          Applied.Outcome.DELETED,
          "KeyRetired",
          "key " + a.keyId() + " is no longer valid");
    }
    if (change instanceof Change.CreateUser a) {
      StepFailure.run(CREDENTIALS_READY, () -> admin.createUser(a.user(), a.secretKey()));
      return new Applied(
          CREDENTIALS_READY,
          Applied.Outcome.CREATED,
          "UserCreated",
          "created MinIO user " + a.user());
    }
    if (change instanceof Change.ResetUser a) {
      return reset(admin, a);
    }
    if (change instanceof Change.DeleteUser a) {
      StepFailure.run(CREDENTIALS_READY, () -> admin.deleteUser(a.user()));
      return new Applied(
          CREDENTIALS_READY,
          Applied.Outcome.DELETED,
          "UserDeleted",
          "deleted MinIO user " + a.user());
    }
    throw new IllegalArgumentException("not a user change: " + change);
  }

  private static Applied issue(MinioAdmin admin, Change.CreateServiceAccount a) {
    StepFailure.run(
        CREDENTIALS_READY,
        () -> admin.createServiceAccount(a.user(), a.keyId(), a.secret(), a.expiration()));
    return new Applied(
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

  private static Applied reissue(MinioAdmin admin, Change.ReissueServiceAccount a) {
    StepFailure.run(CREDENTIALS_READY, () -> admin.deleteServiceAccount(a.keyId()));
    StepFailure.run(
        CREDENTIALS_READY,
        () -> admin.createServiceAccount(a.user(), a.keyId(), a.secret(), a.expiration()));
    return new Applied(
        CREDENTIALS_READY,
        Applied.Outcome.UPDATED,
        "KeyRepaired",
        "key " + a.keyId() + " of Secret " + a.secretName() + " was missing: issued again");
  }

  private static Applied reset(MinioAdmin admin, Change.ResetUser a) {
    StepFailure.run(CREDENTIALS_READY, () -> admin.createUser(a.user(), a.secretKey()));
    return new Applied(
        CREDENTIALS_READY,
        Applied.Outcome.UPDATED,
        "UserRepaired",
        "MinIO user "
            + a.user()
            + " was disabled or did not accept the key in Secret "
            + a.secretName()
            + ": reset to that key and enabled");
  }
}
