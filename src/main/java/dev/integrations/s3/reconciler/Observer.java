package dev.integrations.s3.reconciler;

import static dev.integrations.s3.status.ConditionTypes.CREDENTIALS_READY;
import static dev.integrations.s3.status.ConditionTypes.POLICY_APPLIED;

import dev.integrations.s3.minio.MinioAdmin;
import dev.integrations.s3.minio.MinioAdminFactory;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.store.OwnershipRecord;
import dev.integrations.s3.store.ResolvedStore;
import dev.integrations.s3.verify.AccessProber;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * The read phase of a reconcile: input Secrets, the storage connection, and what the storage holds
 * for this integration. Nothing here writes; every failure is a {@link StepFailure} of the step
 * whose read failed.
 */
final class Observer {
  /**
   * The storage connection of one reconcile.
   *
   * @param endpoint the endpoint with its CA
   * @param caPem the CA bundle, or null
   * @param keys the admin keys (managed) or the given keys (validate-only)
   * @param admin the MinIO admin connection (managed mode), else null
   */
  record Connection(
      StorageEndpoint endpoint, String caPem, InputSecrets.KeyPair keys, MinioAdmin admin) {}

  private final InputSecrets secrets;
  private final MinioAdminFactory adminFactory;
  private final AccessProber prober;

  Observer(InputSecrets secrets, MinioAdminFactory adminFactory, AccessProber prober) {
    this.secrets = secrets;
    this.adminFactory = adminFactory;
    this.prober = prober;
  }

  /**
   * Reads the input Secrets (where the store keeps its Secrets, or the tenant's given keys) and
   * opens the storage connection; nothing is sent yet.
   */
  Connection connect(IntegrationModel model) {
    if (model.managed()) {
      Connection c = connectAdmin(model.store());
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
    String caPem = caPem(model.store());
    InputSecrets.KeyPair keys =
        secrets.keyPair(model.keysNamespace(), model.keysRef(), "credentials");
    return new Connection(model.endpoint().withCa(caPem), caPem, keys, null);
  }

  /** The store's admin connection (its admin keys and CA, from where it keeps its Secrets). */
  Connection connectAdmin(ResolvedStore store) {
    String caPem = caPem(store);
    StorageEndpoint endpoint = store.endpoint().withCa(caPem);
    InputSecrets.KeyPair keys =
        secrets.keyPair(store.secretsNamespace(), store.spec().getAdmin().getSecretRef(), "admin");
    MinioAdmin admin =
        StepFailure.in(
            CREDENTIALS_READY,
            () -> adminFactory.connect(endpoint, keys.accessKey(), keys.secretKey()));
    return new Connection(endpoint, caPem, keys, admin);
  }

  /** The store's endpoint with its CA, without keys. */
  Connection connectEndpoint(ResolvedStore store) {
    String caPem = caPem(store);
    return new Connection(store.endpoint().withCa(caPem), caPem, null, null);
  }

  private String caPem(ResolvedStore store) {
    var tls = store.spec().getTls();
    return store.tls() && tls != null && tls.getCaSecretRef() != null
        ? secrets.caPem(store.secretsNamespace(), tls.getCaSecretRef())
        : null;
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
      authenticateGiven(c);
      return Observation.of(output);
    }
    Optional<MinioAdmin.MinioUser> user =
        StepFailure.in(CREDENTIALS_READY, () -> c.admin().user(model.userName()));
    String key =
        record.filter(r -> r.ownedBy(model.uid())).map(OwnershipRecord::secretKey).orElse(null);
    OwnershipRecord ours = record.filter(r -> r.ownedBy(model.uid())).orElse(null);
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
        StepFailure.in(POLICY_APPLIED, () -> c.admin().policy(model.policyName()));
    return new Observation(output, record, user, authenticates, policy, consumerAuthenticates);
  }

  private void authenticateGiven(Connection c) {
    try {
      prober.authenticate(c.endpoint(), c.keys().accessKey(), c.keys().secretKey());
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
