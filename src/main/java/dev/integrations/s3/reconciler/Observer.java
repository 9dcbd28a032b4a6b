package dev.integrations.s3.reconciler;

import static dev.integrations.s3.status.ConditionTypes.CREDENTIALS_READY;
import static dev.integrations.s3.status.ConditionTypes.POLICY_APPLIED;

import dev.integrations.s3.minio.MinioAdmin;
import dev.integrations.s3.minio.MinioAdminFactory;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.StorageException;
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

  /** Reads the input Secrets and opens the storage connection (nothing is sent yet). */
  Connection connect(String namespace, IntegrationModel model) {
    String caPem = model.caRef() == null ? null : secrets.caPem(namespace, model.caRef());
    StorageEndpoint endpoint = model.endpoint().withCa(caPem);
    InputSecrets.KeyPair keys =
        secrets.keyPair(namespace, model.keysRef(), model.managed() ? "admin" : "credentials");
    MinioAdmin admin =
        model.managed()
            ? StepFailure.in(
                CREDENTIALS_READY,
                () -> adminFactory.connect(endpoint, keys.accessKey(), keys.secretKey()))
            : null;
    return new Connection(endpoint, caPem, keys, admin);
  }

  /**
   * What the storage holds for this integration. In validate-only mode: that the given keys
   * authenticate at all (CredentialsRejected otherwise).
   */
  Observation observe(IntegrationModel model, Connection c, Secret output) {
    if (!model.managed()) {
      authenticateGiven(c);
      return Observation.of(output);
    }
    Optional<MinioAdmin.MinioUser> user =
        StepFailure.in(CREDENTIALS_READY, () -> c.admin().user(model.userName()));
    Observation partial = new Observation(output, user, null, Optional.empty());
    String key = partial.recordedKey(model.userName());
    Boolean authenticates =
        user.isPresent() && user.get().enabled() && key != null
            ? StepFailure.in(CREDENTIALS_READY, () -> authenticates(c, model.userName(), key))
            : null;
    Optional<String> policy =
        StepFailure.in(POLICY_APPLIED, () -> c.admin().policy(model.policyName()));
    return new Observation(output, user, authenticates, policy);
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
