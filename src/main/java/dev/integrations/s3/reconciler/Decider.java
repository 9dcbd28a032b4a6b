package dev.integrations.s3.reconciler;

import static dev.integrations.s3.status.ConditionTypes.ACCESS_VERIFIED;
import static dev.integrations.s3.status.ConditionTypes.CREDENTIALS_READY;
import static dev.integrations.s3.status.ConditionTypes.POLICY_APPLIED;

import dev.integrations.s3.api.v1alpha1.DeletionPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationSpec;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The decision of a reconcile, as a pure function of the desired state, what was observed and the
 * previous status: a {@link Decision.Conflict} (nothing is written) or a {@link Decision.Plan} (the
 * writes, in order). The ownership rules live here and nowhere else; {@code DeciderTest} states
 * them as a truth table. See DESIGN.md beside this class for why they are what they are.
 */
final class Decider {
  private Decider() {}

  /**
   * Managed mode.
   *
   * @param newKey a fresh secret key, asked for only when no usable key is recorded
   */
  static Decision managed(
      IntegrationModel m,
      Observation o,
      S3IntegrationStatus previous,
      Long generation,
      Instant now,
      Supplier<String> newKey) {
    String user = m.userName();
    String policy = m.policyName();
    String recordedKey = o.recordedKey(user);
    boolean userRecorded =
        user.equals(previous.getUserName())
            || user.equals(o.annotation(ResolvedConfigSecret.USER_ANNOTATION));
    boolean policyRecorded =
        policy.equals(previous.getPolicyName())
            || policy.equals(o.annotation(ResolvedConfigSecret.POLICY_ANNOTATION));

    // Ours if the recorded key authenticates as the user, or if our status or Secret records that
    // we created it (then a disabled user or a changed key is drift to repair).
    boolean resetUser = false;
    if (o.user().isPresent()) {
      boolean authenticates = Boolean.TRUE.equals(o.keyAuthenticates());
      if (!authenticates && !userRecorded) {
        return new Decision.Conflict(
            CREDENTIALS_READY,
            Reasons.USER_CONFLICT,
            "MinIO user \""
                + user
                + "\" already exists and was not created by this S3Integration; it is left"
                + " unchanged. Set credentials.managed.userName to another name, or delete that"
                + " user if it is unused");
      }
      resetUser = !authenticates;
    }

    List<Action> policyActions = new ArrayList<>();
    String ownedPolicy = policy;
    if (m.document() != null) {
      if (o.serverPolicy().isEmpty()) {
        policyActions.add(new Action.PutPolicy(policy, m.document(), false));
      } else if (!PolicyDocument.equivalent(o.serverPolicy().get(), m.document())) {
        if (!policyRecorded) {
          return new Decision.Conflict(
              POLICY_APPLIED,
              Reasons.POLICY_CONFLICT,
              "MinIO policy \""
                  + policy
                  + "\" already exists with another document and was not created by this"
                  + " S3Integration; it is left unchanged (rewriting it would change the access"
                  + " of every user attached to it)");
        }
        policyActions.add(new Action.PutPolicy(policy, m.document(), true));
      }
      // A new or reset user keeps (or has) the attachments observed: add-user leaves them alone.
      if (!o.attached().equals(List.of(policy))) {
        policyActions.add(new Action.AttachPolicy(user, policy));
      }
    } else {
      if (!o.attached().isEmpty()) {
        policyActions.add(new Action.DetachAllPolicies(user));
      }
      if (o.serverPolicy().isPresent()) {
        if (policyRecorded) {
          policyActions.add(new Action.DeletePolicy(policy));
        } else {
          ownedPolicy = null; // nothing to grant and a foreign policy of our name: leave it
        }
      }
    }

    List<Action> actions = new ArrayList<>();
    actions.add(new Action.WriteSecret()); // first: it records the key before MinIO knows it
    if (o.user().isEmpty()) {
      actions.add(new Action.CreateUser(user));
    } else if (resetUser) {
      actions.add(new Action.ResetUser(user));
    }
    actions.addAll(policyActions);

    boolean keyChanges = recordedKey == null;
    String key = keyChanges ? newKey.get() : recordedKey;
    boolean storageWrites = actions.size() > 1;
    return new Decision.Plan(
        user,
        key,
        keyChanges,
        m.document() != null ? policy : ownedPolicy,
        actions,
        verificationDue(previous, generation, now, m, storageWrites || keyChanges));
  }

  /** Validate-only mode: the given keys go into the Secret; the storage is never written. */
  static Decision.Plan validateOnly(
      IntegrationModel m,
      Observation o,
      InputSecrets.KeyPair given,
      S3IntegrationStatus previous,
      Long generation,
      Instant now) {
    boolean keyChanges = !given.secretKey().equals(o.recordedKey(given.accessKey()));
    return new Decision.Plan(
        given.accessKey(),
        given.secretKey(),
        keyChanges,
        null,
        List.of(new Action.WriteSecret()),
        verificationDue(previous, generation, now, m, keyChanges));
  }

  /**
   * Verification runs when something changed, for a new generation, when it never ran or did not
   * succeed last time, and otherwise once per interval.
   */
  static boolean verificationDue(
      S3IntegrationStatus previous,
      Long generation,
      Instant now,
      IntegrationModel m,
      boolean changed) {
    Instant last = Verifier.lastVerified(previous);
    return changed
        || last == null
        || !Objects.equals(previous.getObservedGeneration(), generation)
        || !Conditions.isTrue(previous.getConditions(), ACCESS_VERIFIED)
        || !now.isBefore(last.plus(m.interval()));
  }

  /**
   * What deleting the integration removes from the storage: its user and policy, as recorded in
   * status or (for a crash before status was written) in the output Secret's annotations. Nothing
   * for validate-only integrations and for {@code deletionPolicy: Retain}.
   *
   * @param output what was observed of the integration's own output Secret
   */
  static List<Action> cleanup(S3Integration resource, Observation output) {
    S3IntegrationSpec spec = resource.getSpec();
    boolean managed =
        spec != null && spec.getCredentials() != null && spec.getCredentials().getManaged() != null;
    if (!managed || spec.getDeletionPolicy() == DeletionPolicy.Retain) {
      return List.of();
    }
    S3IntegrationStatus status =
        resource.getStatus() == null ? new S3IntegrationStatus() : resource.getStatus();
    String user =
        status.getUserName() != null
            ? status.getUserName()
            : output.annotation(ResolvedConfigSecret.USER_ANNOTATION);
    String policy =
        status.getPolicyName() != null
            ? status.getPolicyName()
            : output.annotation(ResolvedConfigSecret.POLICY_ANNOTATION);
    List<Action> actions = new ArrayList<>();
    if (user != null) {
      actions.add(new Action.DeleteUser(user));
    }
    if (policy != null) {
      actions.add(new Action.DeletePolicy(policy));
    }
    return actions;
  }
}
