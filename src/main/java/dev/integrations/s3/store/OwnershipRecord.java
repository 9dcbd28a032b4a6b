package dev.integrations.s3.store;

import java.util.Objects;

/**
 * The operator's record of one managed MinIO user, kept in its own namespace where tenants cannot
 * write: which integration (by UID) it belongs to, on which store, and its key. A user or policy is
 * the operator's only if such a record says so; the tenant's output Secret, its annotations and the
 * integration's status are copies, never evidence.
 *
 * @param integrationUid the owning S3Integration's UID
 * @param integrationNamespace its namespace
 * @param integrationName its name
 * @param store the store, {@code ClusterS3Store/<name>} or {@code S3Store/<namespace>/<name>}
 * @param user the MinIO user (access key)
 * @param policy the MinIO policy the operator manages for it
 * @param secretKey the user's secret key (never logged)
 */
public record OwnershipRecord(
    String integrationUid,
    String integrationNamespace,
    String integrationName,
    String store,
    String user,
    String policy,
    String secretKey) {

  public OwnershipRecord {
    Objects.requireNonNull(integrationUid, "integrationUid");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(secretKey, "secretKey");
  }

  /** Whether this record belongs to the integration with this UID. */
  public boolean ownedBy(String uid) {
    return integrationUid.equals(uid);
  }

  /** The same record with another key. */
  public OwnershipRecord withSecretKey(String key) {
    return new OwnershipRecord(
        integrationUid, integrationNamespace, integrationName, store, user, policy, key);
  }

  @Override
  public String toString() {
    return "OwnershipRecord[integration="
        + integrationNamespace
        + "/"
        + integrationName
        + " ("
        + integrationUid
        + "), store="
        + store
        + ", user="
        + user
        + ", policy="
        + policy
        + ", secretKey=<redacted>]";
  }
}
