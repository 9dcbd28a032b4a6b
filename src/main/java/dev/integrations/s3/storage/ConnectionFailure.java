package dev.integrations.s3.storage;

import dev.integrations.s3.status.Reasons;

/**
 * A failure to talk to the endpoint at all: refused, timed out, not resolvable, TLS that does not
 * match, or an answer that is not S3's. Its message has the detail (for the operator's log and the
 * platform's own ClusterS3Store status); {@link #tenantMessage()} says the same for everyone, so
 * that a tenant naming hosts and ports in an S3Store cannot tell a closed port from a filtered one,
 * a TLS service or another protocol: the operator is no port scanner.
 */
public final class ConnectionFailure extends StorageException {
  private final String url;

  ConnectionFailure(String reason, String url, String message, Throwable cause) {
    super(reason, Reasons.ENDPOINT_UNREACHABLE.equals(reason), message, cause);
    this.url = url;
  }

  /** What a tenant reads: one reason and one sentence, whatever went wrong. */
  public String tenantMessage() {
    return "cannot reach "
        + url
        + " as S3 storage: nothing answers there, something else does, or its TLS does not match"
        + " tls.enabled and tls.caSecretRef (the operator's log has the detail)";
  }
}
