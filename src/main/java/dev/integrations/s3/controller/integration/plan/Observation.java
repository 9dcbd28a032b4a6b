package dev.integrations.s3.controller.integration.plan;

import dev.integrations.s3.ownership.OwnershipRecord;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.storage.minio.MinioAdmin.MinioUser;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile read before deciding anything: the output Secret and, in managed mode, the
 * operator's record of the user, the MinIO user, whether the recorded key authenticates as it, and
 * the policy of our name.
 *
 * @param output the integration's own output Secret, or null when there is none
 * @param record the operator's record for this store and user, whoever it belongs to
 * @param user the MinIO user (managed mode; empty otherwise or when the server has none)
 * @param keyAuthenticates whether the recorded key authenticates as that user; null when it was not
 *     asked (no record of ours, no user, or a disabled one)
 * @param serverPolicy the policy document of our policy name on the server (managed mode)
 * @param consumerKeyAuthenticates whether the recorded service account consumers hold
 *     authenticates; null when it was not asked (consumers hold the user's key, or no user)
 */
public record Observation(
    Secret output,
    Optional<OwnershipRecord> record,
    Optional<MinioUser> user,
    Boolean keyAuthenticates,
    Optional<String> serverPolicy,
    Boolean consumerKeyAuthenticates) {

  /** Before rotation: consumers hold the user's own key. */
  public Observation(
      Secret output,
      Optional<OwnershipRecord> record,
      Optional<MinioUser> user,
      Boolean keyAuthenticates,
      Optional<String> serverPolicy) {
    this(output, record, user, keyAuthenticates, serverPolicy, null);
  }

  /** Validate-only mode: only the output Secret matters. */
  public static Observation of(Secret output) {
    return new Observation(output, Optional.empty(), Optional.empty(), null, Optional.empty());
  }

  /** The secret key the output Secret holds for this access key, or null. */
  public String outputKey(String accessKey) {
    return accessKey != null
            && accessKey.equals(
                ResolvedConfigSecret.value(output, ResolvedConfigSecret.ACCESS_KEY_ID).orElse(null))
        ? ResolvedConfigSecret.value(output, ResolvedConfigSecret.SECRET_ACCESS_KEY).orElse(null)
        : null;
  }

  /** The policies attached to the user; none when there is no user. */
  public List<String> attached() {
    return user.map(MinioUser::policies).orElse(List.of());
  }
}
