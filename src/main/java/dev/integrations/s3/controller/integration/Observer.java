package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.status.ConditionTypes.ACCESS_VERIFIED;
import static dev.integrations.s3.status.ConditionTypes.CREDENTIALS_READY;
import static dev.integrations.s3.status.ConditionTypes.POLICY_APPLIED;

import dev.integrations.s3.api.v1alpha1.KeyPairSecretRef;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.common.StorageConnections;
import dev.integrations.s3.controller.common.StorageConnections.Connection;
import dev.integrations.s3.controller.integration.plan.IntegrationModel;
import dev.integrations.s3.controller.integration.plan.Observation;
import dev.integrations.s3.ownership.OwnershipRecord;
import dev.integrations.s3.secret.AccessKeys;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.storage.minio.MinioAdmin;
import dev.integrations.s3.verify.AccessProber;
import dev.integrations.s3.verify.BucketScope;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The read phase of a reconcile: input Secrets, the storage connection, and what the storage holds
 * for this integration. Nothing here writes; every failure is a {@link StepFailure} of the step
 * whose read failed.
 */
final class Observer {
  private final StorageConnections connections;
  private final AccessProber prober;

  Observer(StorageConnections connections, AccessProber prober) {
    this.connections = connections;
    this.prober = prober;
  }

  /**
   * Reads the input Secrets (where the store keeps its Secrets, or the tenant's given keys) and
   * opens the storage connection; nothing is sent yet.
   */
  Connection connect(IntegrationModel model) {
    if (model.managed()) {
      Connection c = connections.admin(model.store());
      if (c.keys().accessKey().equals(model.userName())) {
        throw StepFailure.permanent(
            CREDENTIALS_READY,
            Reasons.INVALID_SPEC,
            "the managed user \""
                + model.userName()
                + "\" would be the store's admin itself: rename the integration or change the"
                + " store's userPrefix");
      }
      return c;
    }
    return connections.given(
        model.store(), model.credentials().keysNamespace(), model.credentials().keysRef());
  }

  /**
   * What the storage holds for this integration. In validate-only mode: that the given keys
   * authenticate at all (CredentialsRejected otherwise).
   *
   * @param probeProvesKey a verification follows in this reconcile and its first request proves the
   *     key the consumers hold: that key is not authenticated separately (one storage request less
   *     per integration and interval); a rejection there is retried with the authentication
   */
  Observation observe(
      IntegrationModel model,
      Connection c,
      Secret output,
      Optional<OwnershipRecord> record,
      boolean probeProvesKey) {
    if (!model.managed()) {
      authenticateGiven(model, c);
      return Observation.of(output);
    }
    Optional<MinioAdmin.MinioUser> user =
        StepFailure.in(CREDENTIALS_READY, () -> c.admin().user(model.userName()));
    String key =
        record
            .filter(r -> r.ownedBy(model.identity().uid()))
            .map(OwnershipRecord::secretKey)
            .orElse(null);
    OwnershipRecord ours = record.filter(r -> r.ownedBy(model.identity().uid())).orElse(null);
    if (ours == null) {
      refuseMissingBuckets(model, c); // a new user would follow: answer before any write
    }
    boolean consumersHoldUserKey = ours == null || !ours.serviceAccount();
    Boolean authenticates =
        user.isPresent() && user.get().enabled() && key != null
            ? (probeProvesKey && consumersHoldUserKey
                ? Boolean.TRUE
                : StepFailure.in(CREDENTIALS_READY, () -> authenticates(c, model.userName(), key)))
            : null;
    Boolean consumerAuthenticates =
        ours != null && ours.serviceAccount() && user.isPresent() && user.get().enabled()
            ? (probeProvesKey
                ? Boolean.TRUE
                : StepFailure.in(
                    CREDENTIALS_READY, () -> authenticates(c, ours.keyId(), ours.keySecret())))
            : null;
    Optional<String> policy =
        StepFailure.in(POLICY_APPLIED, () -> c.admin().policy(model.identity().policyName()));
    return new Observation(output, record, user, authenticates, policy, consumerAuthenticates);
  }

  /**
   * NoSuchBucket before the first write: a bucket the policies grant and the store allows that the
   * storage does not have, asked with the admin's keys.
   */
  private void refuseMissingBuckets(IntegrationModel model, Connection c) {
    List<String> buckets = model.access().scopes().stream().map(BucketScope::bucket).toList();
    List<String> missing =
        StepFailure.in(
            ACCESS_VERIFIED,
            () ->
                prober.missingBuckets(
                    c.endpoint(), c.keys().accessKey(), c.keys().secretKey(), buckets));
    if (!missing.isEmpty()) {
      throw StepFailure.permanent(
          ACCESS_VERIFIED,
          Reasons.NO_SUCH_BUCKET,
          "bucket "
              + missing.stream().map(b -> "\"" + b + "\"").collect(Collectors.joining(", "))
              + " does not exist on "
              + c.endpoint().url()
              + ": nothing was created; create it, or take it out of the S3AccessPolicy");
    }
  }

  /**
   * The given keys authenticate. A rejection names the Secret and its keys, never the value read
   * under {@code accessKeyKey}: until it authenticates, that value may be any value of the Secret
   * (the secret key when the keys are swapped, a password), see {@link AccessKeys}.
   */
  private void authenticateGiven(IntegrationModel model, Connection c) {
    KeyPairSecretRef ref = model.credentials().keysRef();
    String keys =
        "the keys in Secret \""
            + ref.getName()
            + "\" (its keys \""
            + java.util.Objects.requireNonNullElse(ref.getAccessKeyKey(), "accessKey")
            + "\" and \""
            + java.util.Objects.requireNonNullElse(ref.getSecretKeyKey(), "secretKey")
            + "\")";
    try {
      prober.authenticate(c.endpoint(), c.keys().accessKey(), c.keys().secretKey(), keys);
    } catch (StorageException e) {
      throw StepFailure.of(CREDENTIALS_READY, e);
    }
  }

  private boolean authenticates(Connection c, String user, String key) {
    try {
      prober.authenticate(c.endpoint(), user, key);
      return true;
    } catch (StorageException e) {
      if (Reasons.CREDENTIALS_REJECTED.equals(e.reason())) {
        return false;
      }
      throw e;
    }
  }
}
