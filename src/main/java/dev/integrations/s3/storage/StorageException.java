package dev.integrations.s3.storage;

import dev.integrations.s3.status.Reasons;

/**
 * A failure talking to S3-compatible storage, classified for the reconciler: {@link #reason()} is
 * the CamelCase condition reason (one of {@link Reasons}), {@link #isTransient()} says whether
 * retrying later can succeed without anyone changing the input.
 *
 * <p>Messages are written for humans and never contain secret keys, signatures or request bodies.
 */
public class StorageException extends RuntimeException {
  private final String reason;
  private final boolean transientFailure;

  public StorageException(String reason, boolean transientFailure, String message) {
    super(message);
    this.reason = reason;
    this.transientFailure = transientFailure;
  }

  public StorageException(
      String reason, boolean transientFailure, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.transientFailure = transientFailure;
  }

  /** Condition reason, e.g. {@code EndpointUnreachable}. */
  public String reason() {
    return reason;
  }

  /** True when a retry with backoff is the right answer. */
  public boolean isTransient() {
    return transientFailure;
  }

  /** Connection refused, DNS failure, timeout: retry with backoff. */
  public static StorageException unreachable(String message, Throwable cause) {
    return new StorageException(Reasons.ENDPOINT_UNREACHABLE, true, message, cause);
  }

  /** Certificate not trusted, hostname mismatch, TLS spoken to a plain port or vice versa. */
  public static StorageException tls(String message, Throwable cause) {
    return new StorageException(Reasons.TLS_ERROR, false, message, cause);
  }

  /** The admin access key is unknown or its secret key does not match. */
  public static StorageException adminCredentialsInvalid(String message) {
    return new StorageException(Reasons.ADMIN_CREDENTIALS_INVALID, false, message);
  }

  /** The admin keys authenticate but may not do this. */
  public static StorageException adminAccessDenied(String message) {
    return new StorageException(Reasons.ADMIN_ACCESS_DENIED, false, message);
  }

  /** The issued (non-admin) keys are unknown, disabled or have a different secret. */
  public static StorageException credentialsRejected(String message) {
    return new StorageException(Reasons.CREDENTIALS_REJECTED, false, message);
  }

  /** The server refused a policy document as malformed. */
  public static StorageException policyRejected(String message) {
    return new StorageException(Reasons.POLICY_REJECTED, false, message);
  }

  /** 5xx or an answer we do not understand: retry with backoff. */
  public static StorageException serverError(String message, Throwable cause) {
    return new StorageException(Reasons.STORAGE_ERROR, true, message, cause);
  }
}
