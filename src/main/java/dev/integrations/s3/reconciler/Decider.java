package dev.integrations.s3.reconciler;

import static dev.integrations.s3.status.ConditionTypes.ACCESS_VERIFIED;
import static dev.integrations.s3.status.ConditionTypes.CREDENTIALS_READY;
import static dev.integrations.s3.status.ConditionTypes.POLICY_APPLIED;
import static dev.integrations.s3.status.ConditionTypes.READY;

import dev.integrations.s3.api.v1alpha1.DeletionPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.store.OwnershipRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The decision of a reconcile, as a pure function of the desired state, what was observed and the
 * previous status: a {@link Decision.Conflict} (nothing is written) or a {@link Decision.Plan} (the
 * writes, in order). The ownership rules live here and nowhere else; {@code DeciderTest} states
 * them as a truth table. See DESIGN.md beside this class for why they are what they are.
 *
 * <p>Ownership is decided from the operator's records alone: a MinIO user or policy is this
 * integration's only if the record in the operator's namespace says so (same store, same user, this
 * integration's UID). The output Secret, its annotations and the status are copies.
 */
final class Decider {
  private Decider() {}

  /**
   * What the store does not allow, answered before anything is read from or written to the storage:
   * a new integration (no record) on a store or buckets it may not use stops here. Established ones
   * go on to {@link #managed}, which takes the access away (fail closed).
   */
  static Optional<Decision.Conflict> admission(IntegrationModel m, Optional<OwnershipRecord> rec) {
    if (rec.isPresent() && rec.get().ownedBy(m.uid())) {
      return Optional.empty();
    }
    return notAllowed(m);
  }

  private static Optional<Decision.Conflict> notAllowed(IntegrationModel m) {
    Optional<Decision.Conflict> store = storeRules(m);
    if (store.isPresent() || !m.managed()) {
      return store;
    }
    if (m.documentTooLarge()) {
      return Optional.of(
          new Decision.Conflict(
              POLICY_APPLIED,
              Reasons.POLICY_TOO_LARGE,
              "the merged policy would be "
                  + m.documentBytes()
                  + " bytes; the storage accepts at most "
                  + PolicyDocument.MAX_BYTES
                  + ". Fewer buckets or prefixes per integration, please; nothing is granted"
                  + " until then"));
    }
    if (m.document() == null && m.grants() == 0 && m.notAllowed().isEmpty()) {
      return Optional.of(
          new Decision.Conflict(
              POLICY_APPLIED,
              m.missingPolicies().isEmpty() ? Reasons.POLICY_NOT_READY : Reasons.POLICY_NOT_FOUND,
              "no referenced S3AccessPolicy is usable ("
                  + (m.missingPolicies().isEmpty()
                      ? "invalid, see its status: " + quoted(m.invalidPolicies())
                      : "not found in this namespace: " + quoted(m.missingPolicies()))
                  + "); nothing is granted"));
    }
    return Optional.empty();
  }

  private static String quoted(List<String> names) {
    return "\"" + String.join("\", \"", names) + "\"";
  }

  private static Optional<Decision.Conflict> storeRules(IntegrationModel m) {
    if (!m.storeUsable()) {
      return Optional.of(
          new Decision.Conflict(
              READY,
              Reasons.STORE_NOT_ALLOWED,
              m.store().id()
                  + " has no allow rule for this namespace: ask the platform team to allow it"));
    }
    if (!m.notAllowed().isEmpty()) {
      return Optional.of(
          new Decision.Conflict(
              POLICY_APPLIED,
              Reasons.BUCKET_NOT_ALLOWED,
              m.store().id()
                  + " does not allow this namespace to read "
                  + String.join(", ", m.notAllowed())
                  + "; those grants are not given"));
    }
    return Optional.empty();
  }

  /**
   * Managed mode.
   *
   * @param newKey a fresh secret key, asked for only when no record holds one
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
    Optional<OwnershipRecord> rec = o.record();
    if (rec.isPresent() && !rec.get().ownedBy(m.uid())) {
      return new Decision.Conflict(
          CREDENTIALS_READY,
          Reasons.USER_CONFLICT,
          "MinIO user \""
              + user
              + "\" on "
              + m.store().id()
              + " belongs to S3Integration "
              + rec.get().integrationNamespace()
              + "/"
              + rec.get().integrationName()
              + " (another UID); it is left unchanged");
    }
    boolean ours = rec.isPresent();
    if (!ours && o.user().isPresent()) {
      return new Decision.Conflict(
          CREDENTIALS_READY,
          Reasons.USER_CONFLICT,
          "MinIO user \""
              + user
              + "\" already exists on "
              + m.store().id()
              + " and the operator has no record of creating it for this S3Integration; it is"
              + " left unchanged. Delete that user if it is unused");
    }
    if (!ours && o.serverPolicy().isPresent()) {
      return new Decision.Conflict(
          POLICY_APPLIED,
          Reasons.POLICY_CONFLICT,
          "MinIO policy \""
              + policy
              + "\" already exists on "
              + m.store().id()
              + " and the operator has no record of creating it; it is left unchanged"
              + " (rewriting it would change the access of every user attached to it)");
    }
    Optional<Decision.Conflict> withdrawn = notAllowed(m);
    if (withdrawn.isPresent() && !ours) {
      return withdrawn.get();
    }

    String key = ours ? rec.get().secretKey() : newKey.get();
    List<Action> actions = new ArrayList<>();
    if (!ours) {
      actions.add(
          new Action.WriteRecord(
              new OwnershipRecord(
                  m.uid(), m.namespace(), m.name(), m.store().id(), user, policy, key)));
    }
    List<Action> policyActions = policyActions(m, o, user, policy);
    if (withdrawn.isPresent()) {
      // Established, and something is no longer allowed: only take access away, then stop.
      return new Decision.Plan(user, key, false, policy, policyActions, false, withdrawn.get());
    }
    if (o.user().isEmpty()) {
      actions.add(new Action.CreateUser(user));
    } else if (!Boolean.TRUE.equals(o.keyAuthenticates())) {
      actions.add(new Action.ResetUser(user)); // disabled, or its key changed on the server
    }
    actions.addAll(policyActions);
    boolean storageWrites = !actions.isEmpty();
    actions.add(new Action.WriteSecret()); // last: a copy of the record for consumers
    boolean keyChanges = !key.equals(o.outputKey(user));
    return new Decision.Plan(
        user,
        key,
        keyChanges,
        policy,
        actions,
        verificationDue(previous, generation, now, m, storageWrites || keyChanges),
        null);
  }

  /** The policy writes that make the server hold exactly the allowed grants. */
  private static List<Action> policyActions(
      IntegrationModel m, Observation o, String user, String policy) {
    List<Action> actions = new ArrayList<>();
    if (m.document() != null) {
      if (o.serverPolicy().isEmpty()) {
        actions.add(new Action.PutPolicy(policy, m.document(), false));
      } else if (!PolicyDocument.equivalent(o.serverPolicy().get(), m.document())) {
        actions.add(new Action.PutPolicy(policy, m.document(), true));
      }
      // A new or reset user keeps (or has) the attachments observed: add-user leaves them alone.
      if (!o.attached().equals(List.of(policy))) {
        actions.add(new Action.AttachPolicy(user, policy));
      }
    } else {
      if (!o.attached().isEmpty()) {
        actions.add(new Action.DetachAllPolicies(user));
      }
      if (o.serverPolicy().isPresent()) {
        actions.add(new Action.DeletePolicy(policy));
      }
    }
    return actions;
  }

  /** Validate-only mode: the given keys go into the Secret; the storage is never written. */
  static Decision validateOnly(
      IntegrationModel m,
      Observation o,
      InputSecrets.KeyPair given,
      S3IntegrationStatus previous,
      Long generation,
      Instant now) {
    Optional<Decision.Conflict> refused = notAllowed(m);
    if (refused.isPresent()) {
      return refused.get();
    }
    boolean keyChanges = !given.secretKey().equals(o.outputKey(given.accessKey()));
    return new Decision.Plan(
        given.accessKey(),
        given.secretKey(),
        keyChanges,
        null,
        List.of(new Action.WriteSecret()),
        verificationDue(previous, generation, now, m, keyChanges),
        null);
  }

  /**
   * Verification runs when something changed, for a new generation, when it never ran, once per
   * interval, and sooner (a sixth of the interval, at least 10 s) while it does not succeed.
   */
  static boolean verificationDue(
      S3IntegrationStatus previous,
      Long generation,
      Instant now,
      IntegrationModel m,
      boolean changed) {
    Instant last = Verifier.lastVerified(previous);
    boolean verified = Conditions.isTrue(previous.getConditions(), ACCESS_VERIFIED);
    return changed
        || last == null
        || !Objects.equals(previous.getObservedGeneration(), generation)
        || !now.isBefore(
            last.plus(verified ? m.interval() : Verifier.failingRecheck(m.interval())));
  }

  /**
   * What deleting the integration removes, per record it owns: with {@code deletionPolicy: Delete}
   * the user, its policy and the record; with {@code Retain} the record only (the operator forgets
   * the user; it stays on the storage). Nothing without a record: validate-only integrations and
   * users the operator did not create are never touched.
   */
  static List<Action> cleanup(S3Integration resource, OwnershipRecord record) {
    if (!record.ownedBy(resource.getMetadata().getUid())) {
      return List.of();
    }
    if (resource.getSpec() != null
        && resource.getSpec().getDeletionPolicy() == DeletionPolicy.Retain) {
      return List.of(new Action.DeleteRecord(record));
    }
    return List.of(
        new Action.DeleteUser(record.user()),
        new Action.DeletePolicy(record.policy()),
        new Action.DeleteRecord(record));
  }
}
