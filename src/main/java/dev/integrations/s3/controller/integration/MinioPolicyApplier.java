package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.status.ConditionTypes.POLICY_APPLIED;

import dev.integrations.s3.controller.common.Applied;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.integration.plan.Change;
import dev.integrations.s3.storage.minio.MinioAdmin;

/** Carries out the policy actions of a plan on MinIO: put, attach, detach, delete. */
final class MinioPolicyApplier {
  private MinioPolicyApplier() {}

  /** Whether this applier carries out the action. */
  static boolean handles(Change a) {
    return a instanceof Change.PutPolicy
        || a instanceof Change.AttachPolicy
        || a instanceof Change.DetachAllPolicies
        || a instanceof Change.DeletePolicy;
  }

  static Applied apply(MinioAdmin admin, Change action) {
    if (action instanceof Change.PutPolicy a) {
      StepFailure.run(POLICY_APPLIED, () -> admin.putPolicy(a.name(), a.document()));
      return a.exists()
          ? new Applied(
              POLICY_APPLIED,
              Applied.Outcome.UPDATED,
              "PolicyUpdated",
              "updated MinIO policy " + a.name())
          : new Applied(
              POLICY_APPLIED,
              Applied.Outcome.CREATED,
              "PolicyCreated",
              "created MinIO policy " + a.name());
    }
    if (action instanceof Change.AttachPolicy a) {
      StepFailure.run(POLICY_APPLIED, () -> admin.attachPolicy(a.user(), a.policy()));
      return new Applied(
          POLICY_APPLIED,
          Applied.Outcome.UPDATED,
          "PolicyAttached",
          "attached MinIO policy " + a.policy() + " to user " + a.user());
    }
    if (action instanceof Change.DetachAllPolicies a) {
      StepFailure.run(POLICY_APPLIED, () -> admin.detachAllPolicies(a.user()));
      return new Applied(
          POLICY_APPLIED,
          Applied.Outcome.DELETED,
          "AccessWithdrawn",
          "no valid S3AccessPolicy left: detached every policy from MinIO user " + a.user());
    }
    if (action instanceof Change.DeletePolicy a) {
      StepFailure.run(POLICY_APPLIED, () -> admin.deletePolicy(a.name()));
      return new Applied(
          POLICY_APPLIED,
          Applied.Outcome.DELETED,
          "PolicyDeleted",
          "deleted MinIO policy " + a.name());
    }
    throw new IllegalArgumentException("not a policy action: " + action);
  }
}
