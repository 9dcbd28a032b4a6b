package dev.integrations.s3.controller.integration.plan;

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
public final class Decider {
  private Decider() {}

  /**
   * What the store does not allow, answered before anything is read from or written to the storage:
   * a new integration (no record) on a store or buckets it may not use, or a new managed one on a
   * store being deleted, stops here. Established ones go on to {@link #managed}, which takes the
   * access away (fail closed), or keep working on a store being deleted until they are deleted.
   */
  public static Optional<Decision.Conflict> admission(
      IntegrationModel m, Optional<OwnershipRecord> rec) {
    if (rec.isPresent() && rec.get().ownedBy(m.identity().uid())) {
      return Optional.empty();
    }
    if (m.managed() && m.store().deleting()) {
      // a user created now would outlive the store, or keep it from going (issue 21, item 12)
      return Optional.of(
          new Decision.Conflict(
              READY,
              Reasons.STORE_DELETING,
              m.store().id()
                  + " is being deleted and takes no new integrations; nothing was created."
                  + " Point spec.storeRef at another store"));
    }
    return notAllowed(m);
  }

  private static Optional<Decision.Conflict> notAllowed(IntegrationModel m) {
    Optional<Decision.Conflict> store = storeRules(m);
    if (store.isPresent() || !m.managed()) {
      return store;
    }
    IntegrationModel.Policies p = m.policies();
    if (p.tooLarge()) {
      return Optional.of(
          new Decision.Conflict(
              POLICY_APPLIED,
              Reasons.POLICY_TOO_LARGE,
              "the merged policy would be "
                  + p.documentBytes()
                  + " bytes; the storage accepts at most "
                  + PolicyDocument.MAX_BYTES
                  + ". Fewer buckets or prefixes per integration, please; nothing is granted"
                  + " until then"));
    }
    if (p.document() == null && p.valid() == 0 && m.access().notAllowed().isEmpty()) {
      return Optional.of(
          new Decision.Conflict(
              POLICY_APPLIED,
              p.missing().isEmpty() ? Reasons.POLICY_NOT_READY : Reasons.POLICY_NOT_FOUND,
              "no referenced S3AccessPolicy is usable ("
                  + (p.missing().isEmpty()
                      ? "invalid, see its status: " + quoted(p.invalid())
                      : "not found in this namespace: " + quoted(p.missing()))
                  + "); nothing is granted"));
    }
    return Optional.empty();
  }

  private static String quoted(List<String> names) {
    return "\"" + String.join("\", \"", names) + "\"";
  }

  private static Optional<Decision.Conflict> storeRules(IntegrationModel m) {
    if (!m.access().storeUsable()) {
      return Optional.of(
          new Decision.Conflict(
              READY,
              Reasons.STORE_NOT_ALLOWED,
              m.store().id()
                  + " has no allow rule for this namespace: ask the platform team to allow it"));
    }
    if (!m.access().notAllowed().isEmpty()) {
      return Optional.of(
          new Decision.Conflict(
              POLICY_APPLIED,
              Reasons.BUCKET_NOT_ALLOWED,
              m.store().id()
                  + " does not allow this namespace to read "
                  + String.join(", ", m.access().notAllowed())
                  + "; those grants are not given"));
    }
    return Optional.empty();
  }

  /** Managed mode, with random service-account ids. */
  public static Decision managed(
      IntegrationModel m,
      Observation o,
      S3IntegrationStatus previous,
      Long generation,
      Instant now,
      Supplier<String> newKey) {
    return managed(m, o, previous, generation, now, newKey, SecretKeys::generateKeyId);
  }

  /**
   * Managed mode, in named steps: {@link #ownership} (nothing of someone else's is touched), the
   * {@link #withdrawal} of what is no longer allowed, the {@link RotationStep} due, the {@link
   * #userRepair} the record asks for, the {@link #policyActions}, and the order they are written in
   * ({@link #ordered}).
   *
   * @param newKey a fresh secret key, asked for only when one is issued
   * @param newKeyId a fresh service-account access key, asked for only at a rotation
   */
  public static Decision managed(
      IntegrationModel m,
      Observation o,
      S3IntegrationStatus previous,
      Long generation,
      Instant now,
      Supplier<String> newKey,
      Supplier<String> newKeyId) {
    Optional<Decision.Conflict> conflict = ownership(m, o);
    if (conflict.isPresent()) {
      return conflict.get();
    }
    Optional<OwnershipRecord> ours = o.record();
    Optional<Decision.Conflict> withdrawn = notAllowed(m);
    if (withdrawn.isPresent()) {
      return ours.isPresent() ? withdrawal(m, o, ours.get(), withdrawn.get()) : withdrawn.get();
    }
    RotationStep rotation =
        ours.isPresent()
            ? RotationStep.decide(m.schedule().rotation(), ours.get(), o, now, newKey, newKeyId)
            : new RotationStep.None(firstRecord(m, now, newKey));
    List<Change> storage = new ArrayList<>();
    if (ours.isEmpty()) {
      // created, not updated: of two writers racing on a new integration, the second gets 409
      storage.add(new Change.WriteRecord(rotation.next()));
    }
    storage.addAll(rotation.recordFirst());
    storage.addAll(userRepair(m, o, rotation, now));
    storage.addAll(policyActions(m, o));
    OwnershipRecord next = rotation.next();
    boolean keyChanges = !next.consumerSecret().equals(o.outputKey(next.consumerKeyId()));
    return Decision.Plan.managed(next, m.identity().policyName(), ordered(storage, rotation))
        .withNewKey(keyChanges)
        .withVerification(
            verificationDue(previous, generation, now, m, !storage.isEmpty() || keyChanges))
        .wakingAt(RotationStep.wakeAt(m.schedule().rotation(), next, now));
  }

  /**
   * Whose user and policy these are: a record of another UID, or a user or policy of our name
   * without our record, is someone else's and stays as it is (checked before anything else).
   */
  private static Optional<Decision.Conflict> ownership(IntegrationModel m, Observation o) {
    Optional<OwnershipRecord> rec = o.record();
    if (rec.isPresent() && !rec.get().ownedBy(m.identity().uid())) {
      return Optional.of(
          new Decision.Conflict(
              CREDENTIALS_READY,
              Reasons.USER_CONFLICT,
              "MinIO user \""
                  + m.userName()
                  + "\" on "
                  + m.store().id()
                  + " is taken: the operator's record names another S3Integration (another UID,"
                  + " such as an earlier one of this name deleted with deletionPolicy Retain);"
                  + " it is left unchanged. The platform team can see whose it is"));
    }
    if (rec.isEmpty() && o.user().isPresent()) {
      return Optional.of(
          new Decision.Conflict(
              CREDENTIALS_READY,
              Reasons.USER_CONFLICT,
              "MinIO user \""
                  + m.userName()
                  + "\" already exists on "
                  + m.store().id()
                  + " and the operator has no record of creating it for this S3Integration; it"
                  + " is left unchanged. Delete that user if it is unused"));
    }
    if (rec.isEmpty() && o.serverPolicy().isPresent()) {
      return Optional.of(
          new Decision.Conflict(
              POLICY_APPLIED,
              Reasons.POLICY_CONFLICT,
              "MinIO policy \""
                  + m.identity().policyName()
                  + "\" already exists on "
                  + m.store().id()
                  + " and the operator has no record of creating it; it is left unchanged"
                  + " (rewriting it would change the access of every user attached to it)"));
    }
    return Optional.empty();
  }

  /**
   * Established, and something is no longer allowed: only take access away (the policy narrowed or
   * detached), then stop. Fail closed: nothing is rotated, repaired or verified meanwhile.
   */
  private static Decision.Plan withdrawal(
      IntegrationModel m, Observation o, OwnershipRecord ours, Decision.Conflict reason) {
    return Decision.Plan.withdrawal(ours, m.identity().policyName(), policyActions(m, o), reason);
  }

  /**
   * A new integration's record: a fresh key; the rotate annotation's value counts as acted on (a
   * fresh key needs no rotation on request).
   */
  private static OwnershipRecord firstRecord(
      IntegrationModel m, Instant now, Supplier<String> newKey) {
    return new OwnershipRecord(
            m.identity().uid(),
            m.identity().namespace(),
            m.identity().name(),
            m.store().id(),
            m.userName(),
            m.identity().policyName(),
            newKey.get(),
            now)
        .withRotateToken(m.schedule().rotation().token());
  }

  /**
   * The user and the consumers' service account as the record says: the user created when missing,
   * reset when disabled, rejecting its key or retiring it; a service account issued at a rotation,
   * or issued again when it went missing (with its user) or stopped working, while its backstop
   * lasts.
   */
  private static List<Change> userRepair(
      IntegrationModel m, Observation o, RotationStep rotation, Instant now) {
    String user = m.userName();
    OwnershipRecord next = rotation.next();
    List<Change> changes = new ArrayList<>();
    boolean keyRejected = o.user().isPresent() && !Boolean.TRUE.equals(o.keyAuthenticates());
    if (o.user().isEmpty()) {
      changes.add(new Change.CreateUser(user, next.secretKey()));
    } else if (keyRejected || rotation instanceof RotationStep.RetireUserKey) {
      changes.add(new Change.ResetUser(user, next.secretKey(), m.secretName()));
    }
    if (rotation instanceof RotationStep.Issue issue) {
      changes.add(
          new Change.CreateServiceAccount(
              user, next.keyId(), next.keySecret(), issue.expiration()));
    } else if (next.serviceAccount() && !Boolean.TRUE.equals(o.consumerKeyAuthenticates())) {
      Instant backstop = m.schedule().rotation().expiration(next.keyIssued());
      if (backstop.isAfter(now)) {
        changes.add(
            new Change.ReissueServiceAccount(
                user, next.keyId(), next.keySecret(), backstop, m.secretName()));
      }
    }
    return changes;
  }

  /**
   * The order of the writes: the record and the storage first ({@code storage}: record, user,
   * service account, policy), then the Secret, a copy of the record for consumers, and last what
   * the rotation retires: the previous key goes only once the Secret holds the current one.
   */
  private static List<Change> ordered(List<Change> storage, RotationStep rotation) {
    List<Change> actions = new ArrayList<>(storage);
    actions.add(new Change.WriteSecret());
    actions.addAll(rotation.afterSecret());
    return actions;
  }

  /** The policy writes that make the server hold exactly the allowed grants. */
  private static List<Change> policyActions(IntegrationModel m, Observation o) {
    String user = m.userName();
    String policy = m.identity().policyName();
    List<Change> actions = new ArrayList<>();
    if (m.policies().document() != null) {
      if (o.serverPolicy().isEmpty()) {
        actions.add(new Change.PutPolicy(policy, m.policies().document(), false));
      } else if (!PolicyDocument.equivalent(o.serverPolicy().get(), m.policies().document())) {
        actions.add(new Change.PutPolicy(policy, m.policies().document(), true));
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
  public static Decision validateOnly(
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
   * interval, sooner (a sixth of the interval, at least 10 s) while it does not succeed, and when
   * the verify annotation carries a new value (at least 10 s after the last one).
   */
  public static boolean verificationDue(
      S3IntegrationStatus previous,
      Long generation,
      Instant now,
      IntegrationModel m,
      boolean changed) {
    Instant last = VerificationSchedule.lastVerified(previous);
    boolean verified = Conditions.isTrue(previous.getConditions(), ACCESS_VERIFIED);
    return changed
        || VerificationSchedule.requestDue(m.schedule().verifyRequest(), previous, now)
        || last == null
        || !Objects.equals(previous.getObservedGeneration(), generation)
        || !now.isBefore(
            last.plus(
                verified
                    ? m.schedule().interval()
                    : VerificationSchedule.failingRecheck(m.schedule().interval())));
  }

  /**
   * What deleting the integration removes, per record it owns: with {@code deletionPolicy: Delete}
   * the user, its policy and the record; with {@code Retain} the user and its policy document stay
   * on the storage, but its policies are detached (its keys read nothing) and the operator forgets
   * it. Nothing without a record: validate-only integrations and users the operator did not create
   * are never touched.
   */
  public static List<Change> cleanup(S3Integration resource, OwnershipRecord record) {
    if (!record.ownedBy(resource.getMetadata().getUid())
        || !resource.getMetadata().getNamespace().equals(record.integrationNamespace())
        || !resource.getMetadata().getName().equals(record.integrationName())) {
      return List.of(); // not this integration's, whatever UID it names
    }
    if (resource.getSpec() != null
        && resource.getSpec().getDeletionPolicy() == DeletionPolicy.Retain) {
      // kept, but reading nothing: Retain keeps the user and its policy document, not its access
      return List.of(new Change.DetachAllPolicies(record.user()), new Change.DeleteRecord(record));
    }
    return retire(record);
  }

  /** Everything a record names goes: its service accounts, its user, its policy, then it. */
  static List<Change> retire(OwnershipRecord record) {
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
