package dev.integrations.s3.controller.accesspolicy;

import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicyStatus;
import dev.integrations.s3.controller.common.Announcer;
import dev.integrations.s3.controller.common.ContainedErrors;
import dev.integrations.s3.controller.common.Events;
import dev.integrations.s3.policy.Grants;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.PolicyValidator;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.status.StatusAggregator;
import dev.integrations.s3.status.Statuses;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.List;
import java.util.Optional;

/**
 * Validates an S3AccessPolicy and renders it into {@code status.document}.
 *
 * <p>Invalid input is a permanent state, not an error: the reconcile writes Ready=False with reason
 * {@code InvalidSpec} and returns normally, so the SDK does not retry in a loop; the next spec
 * change (a new generation) re-triggers it. Status is written only when it differs.
 */
@ControllerConfiguration(name = S3AccessPolicyReconciler.NAME)
public class S3AccessPolicyReconciler implements Reconciler<S3AccessPolicy> {
  public static final String NAME = "s3accesspolicy";
  private final Conditions conditions;
  private final Announcer announcer;

  public S3AccessPolicyReconciler(Conditions conditions, Events events) {
    this.conditions = conditions;
    this.announcer = new Announcer(events);
  }

  @Override
  public UpdateControl<S3AccessPolicy> reconcile(
      S3AccessPolicy resource, Context<S3AccessPolicy> context) {
    return ContainedErrors.call(() -> reconcileSteps(resource, context));
  }

  private UpdateControl<S3AccessPolicy> reconcileSteps(
      S3AccessPolicy resource, Context<S3AccessPolicy> context) {
    S3AccessPolicyStatus current =
        Optional.ofNullable(resource.getStatus()).orElseGet(S3AccessPolicyStatus::new);
    S3AccessPolicyStatus desired = desiredStatus(resource, current);
    if (Statuses.same(desired, current)) {
      return UpdateControl.noUpdate();
    }
    announcer.announce(resource, current.getConditions(), desired.getConditions());
    resource.setStatus(desired);
    return UpdateControl.patchStatus(resource);
  }

  S3AccessPolicyStatus desiredStatus(S3AccessPolicy resource, S3AccessPolicyStatus current) {
    Long generation = resource.getMetadata().getGeneration();
    ReadGrant grant = Grants.fromSpec(resource.getSpec());
    List<String> problems =
        resource.getSpec() == null ? List.of("spec is missing") : PolicyValidator.problems(grant);

    S3AccessPolicyStatus status = new S3AccessPolicyStatus();
    status.setObservedGeneration(generation);
    StatusAggregator ready =
        new StatusAggregator(conditions, List.of(), current.getConditions(), generation);
    if (problems.isEmpty()) {
      String document = PolicyDocument.render(grant);
      int bytes = document.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (bytes > PolicyDocument.MAX_BYTES) {
        // not copied into the status either: it would be as large there
        ready.blocked(
            ConditionTypes.READY,
            Reasons.POLICY_TOO_LARGE,
            "the policy renders to "
                + bytes
                + " bytes; MinIO accepts at most "
                + PolicyDocument.MAX_BYTES
                + " per policy. Fewer buckets or prefixes per S3AccessPolicy, please: integrations"
                + " referencing it grant nothing from it until then");
      } else {
        status.setDocument(document);
      }
    } else {
      ready.blocked(ConditionTypes.READY, Reasons.INVALID_SPEC, String.join("; ", problems));
    }
    status.setConditions(
        ready.conditions(Reasons.VALID, "policy is valid and rendered to status.document"));
    return status;
  }
}
