package dev.integrations.s3.reconciler;

import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicyStatus;
import dev.integrations.s3.policy.Grants;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.PolicyValidator;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(S3AccessPolicyReconciler.class);

  private final Conditions conditions;
  private final Events events;

  public S3AccessPolicyReconciler(Conditions conditions, Events events) {
    this.conditions = conditions;
    this.events = events;
  }

  @Override
  public UpdateControl<S3AccessPolicy> reconcile(
      S3AccessPolicy resource, Context<S3AccessPolicy> context) {
    S3AccessPolicyStatus current =
        Optional.ofNullable(resource.getStatus()).orElseGet(S3AccessPolicyStatus::new);
    S3AccessPolicyStatus desired = desiredStatus(resource, current);
    if (desired.equals(current)) {
      return UpdateControl.noUpdate();
    }
    announceTransition(resource, current, desired);
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
    if (problems.isEmpty()) {
      status.setDocument(PolicyDocument.render(grant));
      status.setConditions(
          conditions.set(
              current.getConditions(),
              Reasons.READY,
              Conditions.TRUE,
              Reasons.VALID,
              "policy is valid and rendered to status.document",
              generation));
    } else {
      status.setDocument(null);
      status.setConditions(
          conditions.set(
              current.getConditions(),
              Reasons.READY,
              Conditions.FALSE,
              Reasons.INVALID_SPEC,
              String.join("; ", problems),
              generation));
    }
    return status;
  }

  private void announceTransition(
      S3AccessPolicy resource, S3AccessPolicyStatus before, S3AccessPolicyStatus after) {
    Optional<Condition> was = Conditions.find(before.getConditions(), Reasons.READY);
    Condition now = Conditions.find(after.getConditions(), Reasons.READY).orElseThrow();
    boolean changed =
        was.isEmpty()
            || !Objects.equals(was.get().getStatus(), now.getStatus())
            || !Objects.equals(was.get().getReason(), now.getReason())
            || !Objects.equals(was.get().getMessage(), now.getMessage());
    if (!changed) {
      return;
    }
    LOG.info(
        "S3AccessPolicy {}/{}: Ready={} ({}) {}",
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        now.getStatus(),
        now.getReason(),
        now.getMessage());
    if (Conditions.TRUE.equals(now.getStatus())) {
      events.normal(resource, now.getReason(), now.getMessage());
    } else {
      events.warning(resource, now.getReason(), now.getMessage());
    }
  }
}
