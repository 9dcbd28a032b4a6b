package dev.integrations.s3.storage.minio;

import dev.integrations.s3.storage.StorageException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The few MinIO admin operations the operator needs, typed, with errors mapped to {@link
 * StorageException} (reason + transient flag). The reconciler talks to this interface, never to
 * {@code MinioAdminClient}, so that tests can count calls and the library stays in one place.
 *
 * <p>Cost: {@link #createUser} and {@link #createServiceAccount} send bodies encrypted under a key
 * derived from the admin's secret key (cheap with PBKDF2, 64 MiB and 0.1 to 0.25 s of Argon2id per
 * call on each side with Argon2id: see {@code MinioAdminClientAdapter.BodyEncryption}); every other
 * call here is a plain signed request. Nothing in steady state should call {@code createUser}: it
 * also resets the user's key.
 */
public interface MinioAdmin {

  /** A MinIO IAM user as the admin API reports it. */
  record MinioUser(String accessKey, boolean enabled, List<String> policies) {
    public MinioUser {
      policies = List.copyOf(policies);
    }
  }

  /** The user with this access key, or empty when MinIO has none. Read only. */
  Optional<MinioUser> user(String accessKey);

  /**
   * Adds the user with this secret key, enabled. On an existing user this resets its secret key and
   * enables it — so callers must have established that the user is theirs.
   */
  void createUser(String accessKey, String secretKey);

  /** Deletes the user; a user that does not exist counts as deleted. */
  void deleteUser(String accessKey);

  /**
   * Creates a service account of {@code parent} with these keys, inheriting the parent's policies,
   * valid until {@code expiration} (a backstop: the operator deletes it before). Its body is
   * encrypted like {@link #createUser}'s: only at a rotation, never in steady state.
   */
  void createServiceAccount(String parent, String accessKey, String secretKey, Instant expiration);

  /** Deletes the service account; one that does not exist counts as deleted. */
  void deleteServiceAccount(String accessKey);

  /** The policy document stored under this name, or empty when there is none. Read only. */
  Optional<String> policy(String name);

  /** Creates or replaces the policy of this name. */
  void putPolicy(String name, String document);

  /** Deletes the policy; a policy that does not exist counts as deleted. */
  void deletePolicy(String name);

  /** Makes exactly this policy the user's policy set (replacing any others). */
  void attachPolicy(String accessKey, String policyName);

  /** Removes every policy from the user, so it can read nothing. */
  void detachAllPolicies(String accessKey);
}
