package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.status.ConditionTypes.ACCESS_VERIFIED;
import static dev.integrations.s3.status.ConditionTypes.CREDENTIALS_READY;
import static dev.integrations.s3.status.ConditionTypes.POLICY_APPLIED;
import static dev.integrations.s3.status.ConditionTypes.READY;

import dev.integrations.s3.api.v1alpha1.DeletionPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.controller.common.InputSecrets;
import dev.integrations.s3.ownership.OwnershipRecord;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.secret.SecretKeys;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
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

  /** Managed mode, with random service-account ids. */
  static Decision managed(
      IntegrationModel m,
      Observation o,
      S3IntegrationStatus previous,
      Long generation,
      Instant now,
      Supplier<String> newKey) {
    return managed(m, o, previous, generation, now, newKey, SecretKeys::generateKeyId);
  }

  /**
   * Managed mode.
   *
   * @param newKey a fresh secret key, asked for only when one is issued
   * @param newKeyId a fresh service-account access key, asked for only at a rotation
   */
  static Decision managed(
      IntegrationModel m,
      Observation o,
      S3IntegrationStatus previous,
      Long generation,
      Instant now,
      Supplier<String> newKey,
      Supplier<String> newKeyId) {
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

    RotationPolicy rotation = m.rotation();
    OwnershipRecord base =
        ours
            ? rec.get()
            : new OwnershipRecord(
                    m.uid(),
                    m.namespace(),
                    m.name(),
                    m.store().id(),
                    user,
                    policy,
                    newKey.get(),
                    now)
                .withRotateToken(rotation.token()); // a fresh key needs no rotation on request
    List<Change> actions = new ArrayList<>();
    if (!ours) {
      actions.add(new Change.WriteRecord(base));
    }
    List<Change> policyActions = policyActions(m, o, user, policy);
    if (withdrawn.isPresent()) {
      // Established, and something is no longer allowed: only take access away, then stop.
      return Decision.Plan.withdrawal(base, policy, policyActions, withdrawn.get());
    }

    // Key rotation: at most one previous key, retired only once the Secret holds the current one.
    OwnershipRecord next = base;
    String userSecret = base.secretKey();
    boolean resetUser = o.user().isPresent() && !Boolean.TRUE.equals(o.keyAuthenticates());
    boolean rotate = false;
    List<Change> afterSecret = new ArrayList<>();
    boolean secretCurrent = base.consumerSecret().equals(o.outputKey(base.consumerKeyId()));
    if (ours && base.previousKeyId() != null) {
      if (!now.isBefore(base.previousUntil()) && secretCurrent) {
        next = base.withoutPrevious();
        if (base.previousKeyId().equals(user)) {
          // consumers held the user's own key before: it gets a new one that nobody holds
          userSecret = newKey.get();
          next = next.withSecretKey(userSecret);
          actions.add(new Change.WriteRecord(next, true));
          resetUser = true;
        } else {
          afterSecret.add(new Change.DeleteServiceAccount(base.previousKeyId()));
          afterSecret.add(new Change.WriteRecord(next, true));
        }
      }
    } else if (ours) {
      Instant due = rotation.due(base, now);
      if (rotation.requested(base) || (due != null && !now.isBefore(due))) {
        rotate = true;
        next =
            base.rotated(
                newKeyId.get(),
                newKey.get(),
                now,
                now.plus(rotation.overlap()),
                rotation.token() != null ? rotation.token() : base.rotateToken());
        actions.add(new Change.WriteRecord(next, true)); // before the key exists
      }
    }
    if (o.user().isEmpty()) {
      actions.add(new Change.CreateUser(user, userSecret));
    } else if (resetUser) {
      // disabled, its key changed, or retired
      actions.add(new Change.ResetUser(user, userSecret, m.secretName()));
    }
    if (rotate) {
      actions.add(
          new Change.CreateServiceAccount(
              user, next.keyId(), next.keySecret(), rotation.expiration(now)));
    } else if (next.serviceAccount() && !Boolean.TRUE.equals(o.consumerKeyAuthenticates())) {
      // the consumers' service account went missing (with its user) or stopped working
      Instant backstop = rotation.expiration(next.keyIssued());
      if (backstop.isAfter(now)) {
        actions.add(
            new Change.ReissueServiceAccount(
                user, next.keyId(), next.keySecret(), backstop, m.secretName()));
      }
    }
    actions.addAll(policyActions);
    boolean storageWrites = !actions.isEmpty();
    actions.add(new Change.WriteSecret()); // a copy of the record for consumers
    actions.addAll(afterSecret); // the previous key goes only once the Secret holds the current
    boolean keyChanges = !next.consumerSecret().equals(o.outputKey(next.consumerKeyId()));
    return Decision.Plan.managed(next, policy, actions)
        .withNewKey(keyChanges)
        .withVerification(
            verificationDue(previous, generation, now, m, storageWrites || keyChanges))
        .wakingAt(wakeAt(rotation, next, now));
  }

  /** When a time-based step of the key rotation is next due, or null. */
  private static Instant wakeAt(RotationPolicy rotation, OwnershipRecord r, Instant now) {
    if (r.previousKeyId() != null) {
      return r.previousUntil(); // the overlap ends (a requested rotation waits for that)
    }
    if (rotation.requested(r)) {
      return now;
    }
    return rotation.due(r, now);
  }

  /** The policy writes that make the server hold exactly the allowed grants. */
  private static List<Change> policyActions(
      IntegrationModel m, Observation o, String user, String policy) {
    List<Change> actions = new ArrayList<>();
    if (m.document() != null) {
      if (o.serverPolicy().isEmpty()) {
        actions.add(new Change.PutPolicy(policy, m.document(), false));
      } else if (!PolicyDocument.equivalent(o.serverPolicy().get(), m.document())) {
        actions.add(new Change.PutPolicy(policy, m.document(), true));
      }
      // A new or reset user keeps (or has) the attachments observed: add-user leaves them alone.
      if (!o.attached().equals(List.of(policy))) {
        actions.add(new Change.AttachPolicy(user, policy));
      }
    } else {
      if (!o.attached().isEmpty()) {
        actions.add(new Change.DetachAllPolicies(user));
      }
      if (o.serverPolicy().isPresent()) {
        actions.add(new Change.DeletePolicy(policy));
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
    return Decision.Plan.validateOnly(given)
        .withNewKey(keyChanges)
        .withVerification(verificationDue(previous, generation, now, m, keyChanges));
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
  static List<Change> cleanup(S3Integration resource, OwnershipRecord record) {
    if (!record.ownedBy(resource.getMetadata().getUid())) {
      return List.of();
    }
    if (resource.getSpec() != null
        && resource.getSpec().getDeletionPolicy() == DeletionPolicy.Retain) {
      return List.of(new Change.DeleteRecord(record));
    }
    List<Change> actions = new ArrayList<>();
    // the user's service accounts go with it; named here too, so that none outlives it
    if (record.previousKeyId() != null && !record.previousKeyId().equals(record.user())) {
      actions.add(new Change.DeleteServiceAccount(record.previousKeyId()));
    }
    if (record.serviceAccount()) {
      actions.add(new Change.DeleteServiceAccount(record.keyId()));
    }
    actions.add(new Change.DeleteUser(record.user()));
    actions.add(new Change.DeletePolicy(record.policy()));
    actions.add(new Change.DeleteRecord(record));
    return actions;
  }
}
