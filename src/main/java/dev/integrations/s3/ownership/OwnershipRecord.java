package dev.integrations.s3.ownership;

import java.time.Instant;
import java.util.Objects;

/**
 * The operator's record of one managed MinIO user, kept in its own namespace where tenants cannot
 * write: which integration (by UID) it belongs to, on which store, its key, and the key consumers
 * hold. A user or policy is the operator's only if such a record says so; the tenant's output
 * Secret, its annotations and the integration's status are copies, never evidence.
 *
 * <p>Consumers hold the user's own key until the first rotation; from then on a service account of
 * the user ({@code keyId}), so that two keys can be valid at once. During an overlap the previous
 * key ({@code previousKeyId}: a service account, or the user itself) stays valid until {@code
 * previousUntil}.
 *
 * @param integrationUid the owning S3Integration's UID
 * @param integrationNamespace its namespace
 * @param integrationName its name
 * @param store the store, {@code ClusterS3Store/<name>} or {@code S3Store/<namespace>/<name>}
 * @param user the MinIO user (access key)
 * @param policy the MinIO policy the operator manages for it
 * @param secretKey the user's own secret key (never logged)
 * @param keyId the service account consumers hold, or null when they hold the user's own key
 * @param keySecret its secret key (never logged), null with {@code keyId}
 * @param keyIssued when the consumers' key was issued, or null when not known (records written
 *     before rotation existed)
 * @param previousKeyId the key still valid during an overlap, or null
 * @param previousUntil when the overlap ends, null with {@code previousKeyId}
 * @param rotateToken the value of the rotate annotation last acted on, or null
 */
public record OwnershipRecord(
    String integrationUid,
    String integrationNamespace,
    String integrationName,
    String store,
    String user,
    String policy,
    String secretKey,
    String keyId,
    String keySecret,
    Instant keyIssued,
    String previousKeyId,
    Instant previousUntil,
    String rotateToken) {

  public OwnershipRecord {
    Objects.requireNonNull(integrationUid, "integrationUid");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(secretKey, "secretKey");
    if ((keyId == null) != (keySecret == null)) {
      throw new IllegalArgumentException("keyId and keySecret go together");
    }
    if ((previousKeyId == null) != (previousUntil == null)) {
      throw new IllegalArgumentException("previousKeyId and previousUntil go together");
    }
  }

  /** A new record: consumers hold the user's own key, issued now. */
  public OwnershipRecord(
      String integrationUid,
      String integrationNamespace,
      String integrationName,
      String store,
      String user,
      String policy,
      String secretKey,
      Instant issued) {
    this(
        integrationUid,
        integrationNamespace,
        integrationName,
        store,
        user,
        policy,
        secretKey,
        null,
        null,
        issued,
        null,
        null,
        null);
  }

  /** A record as written before rotation existed: the issue time of the key is not known. */
  public OwnershipRecord(
      String integrationUid,
      String integrationNamespace,
      String integrationName,
      String store,
      String user,
      String policy,
      String secretKey) {
    this(
        integrationUid,
        integrationNamespace,
        integrationName,
        store,
        user,
        policy,
        secretKey,
        (Instant) null);
  }

  /** Whether this record belongs to the integration with this UID. */
  public boolean ownedBy(String uid) {
    return integrationUid.equals(uid);
  }

  /** The access key consumers hold: the service account, or the user. */
  public String consumerKeyId() {
    return keyId != null ? keyId : user;
  }

  /** Its secret key. */
  public String consumerSecret() {
    return keyId != null ? keySecret : secretKey;
  }

  /** Whether consumers hold a service account (not the user's own key). */
  public boolean serviceAccount() {
    return keyId != null;
  }

  /** The same record with another key for the user itself. */
  public OwnershipRecord withSecretKey(String key) {
    return withKeys(key, keyId, keySecret, keyIssued, previousKeyId, previousUntil, rotateToken);
  }

  /**
   * A rotation: consumers get this service account, issued now; the key they held stays valid until
   * {@code until}.
   */
  public OwnershipRecord rotated(
      String newKeyId, String newSecret, Instant now, Instant until, String token) {
    return withKeys(secretKey, newKeyId, newSecret, now, consumerKeyId(), until, token);
  }

  /** The overlap is over: the previous key is forgotten (after it was made invalid). */
  public OwnershipRecord withoutPrevious() {
    return withKeys(secretKey, keyId, keySecret, keyIssued, null, null, rotateToken);
  }

  /** The same record having acted on this rotate annotation value (without rotating). */
  public OwnershipRecord withRotateToken(String token) {
    return withKeys(secretKey, keyId, keySecret, keyIssued, previousKeyId, previousUntil, token);
  }

  /** The same integration, store, user and policy, with this key state. */
  private OwnershipRecord withKeys(
      String userKey,
      String currentKeyId,
      String currentSecret,
      Instant issued,
      String previous,
      Instant until,
      String token) {
    return new OwnershipRecord(
        integrationUid,
        integrationNamespace,
        integrationName,
        store,
        user,
        policy,
        userKey,
        currentKeyId,
        currentSecret,
        issued,
        previous,
        until,
        token);
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
        + ", keyId="
        + keyId
        + ", keyIssued="
        + keyIssued
        + ", previousKeyId="
        + previousKeyId
        + ", previousUntil="
        + previousUntil
        + ", rotateToken="
        + rotateToken
        + ", secrets=<redacted>]";
  }
}
