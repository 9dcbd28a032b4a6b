package dev.integrations.s3.controller.common;

import static dev.integrations.s3.status.ConditionTypes.CREDENTIALS_READY;

import dev.integrations.s3.api.v1alpha1.KeyPairSecretRef;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.minio.MinioAdmin;
import dev.integrations.s3.storage.minio.MinioAdminFactory;
import dev.integrations.s3.store.ResolvedStore;

/**
 * Opens the connection to a store's storage: its endpoint with its CA, and the keys read from where
 * the store keeps its Secrets (or the tenant's given keys). Shared by the integration and store
 * controllers; nothing is sent to the storage here.
 */
public final class StorageConnections {
  /**
   * The storage connection of one reconcile.
   *
   * @param endpoint the endpoint with its CA
   * @param caPem the CA bundle, or null
   * @param keys the admin keys (managed) or the given keys (validate-only), or null
   * @param admin the MinIO admin connection (managed mode), else null
   */
  public record Connection(
      StorageEndpoint endpoint, String caPem, InputSecrets.KeyPair keys, MinioAdmin admin) {}

  private final InputSecrets secrets;
  private final MinioAdminFactory adminFactory;

  public StorageConnections(InputSecrets secrets, MinioAdminFactory adminFactory) {
    this.secrets = secrets;
    this.adminFactory = adminFactory;
  }

  /** The store's admin connection (its admin keys and CA, from where it keeps its Secrets). */
  public Connection admin(ResolvedStore store) {
    return admin(store, store.endpoint());
  }

  /**
   * The store's admin connection at this endpoint: the store's own, with other timeouts (a tenant's
   * store check).
   */
  public Connection admin(ResolvedStore store, StorageEndpoint at) {
    String caPem = caPem(store);
    StorageEndpoint endpoint = at.withCa(caPem);
    InputSecrets.KeyPair keys =
        secrets.keyPair(store.secretsNamespace(), store.spec().getAdmin().getSecretRef(), "admin");
    MinioAdmin admin =
        StepFailure.in(
            CREDENTIALS_READY,
            () -> adminFactory.connect(endpoint, keys.accessKey(), keys.secretKey()));
    return new Connection(endpoint, caPem, keys, admin);
  }

  /** The store's endpoint with its CA and the tenant's given keys (validate-only). */
  public Connection given(ResolvedStore store, String keysNamespace, KeyPairSecretRef keysRef) {
    String caPem = caPem(store);
    InputSecrets.KeyPair keys = secrets.keyPair(keysNamespace, keysRef, "credentials");
    return new Connection(store.endpoint().withCa(caPem), caPem, keys, null);
  }

  /** The store's endpoint with its CA, without keys. */
  public Connection endpoint(ResolvedStore store) {
    return endpoint(store, store.endpoint());
  }

  /** This endpoint (the store's own, with other timeouts) with the store's CA, without keys. */
  public Connection endpoint(ResolvedStore store, StorageEndpoint at) {
    String caPem = caPem(store);
    return new Connection(at.withCa(caPem), caPem, null, null);
  }

  private String caPem(ResolvedStore store) {
    var tls = store.spec().getTls();
    return store.tls() && tls != null && tls.getCaSecretRef() != null
        ? secrets.caPem(store.secretsNamespace(), tls.getCaSecretRef())
        : null;
  }
}
