package dev.integrations.s3.status;

/**
 * The one vocabulary of CamelCase condition reasons, for all four kinds and for the storage errors
 * of {@code storage/} and {@code verify/}. Condition types are in {@link ConditionTypes}.
 */
public final class Reasons {
  // success
  public static final String VALID = "Valid";
  public static final String READY = "Ready";
  public static final String USER_READY = "UserReady";
  public static final String KEYS_PROVIDED = "KeysProvided";
  public static final String POLICY_ATTACHED = "PolicyAttached";
  public static final String NOT_APPLICABLE = "NotApplicable";
  public static final String VERIFIED = "Verified";
  public static final String SECRET_WRITTEN = "SecretWritten";

  // input and ownership
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String SECRET_CONFLICT = "SecretConflict";
  public static final String USER_CONFLICT = "UserConflict";
  public static final String USER_NAME_OVERLAP = "UserNameOverlap";
  public static final String POLICY_CONFLICT = "PolicyConflict";
  public static final String POLICY_NOT_FOUND = "PolicyNotFound";
  public static final String POLICY_NOT_READY = "PolicyNotReady";
  public static final String SCOPE_CONFLICT = "ScopeConflict";
  public static final String POLICY_TOO_LARGE = "PolicyTooLarge";
  public static final String SECRET_CONTESTED = "SecretContested";

  // stores
  public static final String STORE_NOT_FOUND = "StoreNotFound";
  public static final String STORE_NOT_ALLOWED = "StoreNotAllowed";
  public static final String BUCKET_NOT_ALLOWED = "BucketNotAllowed";
  public static final String REACHABLE = "Reachable";
  public static final String ADMIN_READY = "AdminReady";
  public static final String STORE_IN_USE = "StoreInUse";
  public static final String STORE_DELETING = "StoreDeleting";

  // what verification found
  public static final String NO_SUCH_BUCKET = "NoSuchBucket";
  public static final String ACCESS_DENIED = "AccessDenied";
  public static final String VERIFICATION_FAILED = "VerificationFailed";

  // the storage (storage/ and verify/ classify their errors with these)
  public static final String ENDPOINT_UNREACHABLE = "EndpointUnreachable";
  public static final String TLS_ERROR = "TLSError";
  public static final String ENDPOINT_NOT_ALLOWED = "EndpointNotAllowed";
  public static final String PUBLIC_ENDPOINT_UNREACHABLE = "PublicEndpointUnreachable";
  public static final String PUBLIC_ENDPOINT_REFUSED = "PublicEndpointRefused";
  public static final String ADMIN_CREDENTIALS_INVALID = "AdminCredentialsInvalid";
  public static final String ADMIN_ACCESS_DENIED = "AdminAccessDenied";
  public static final String CREDENTIALS_REJECTED = "CredentialsRejected";
  public static final String POLICY_REJECTED = "PolicyRejected";
  public static final String STORAGE_ERROR = "StorageError";
  public static final String RECONCILE_TIMEOUT = "ReconcileTimeout";

  // the Kubernetes side
  public static final String SECRET_WRITE_FAILED = "SecretWriteFailed";

  // lifecycle
  public static final String PAUSED = "Paused";
  public static final String PENDING = "Pending";
  public static final String RECONCILE_ERROR = "ReconcileError";

  private Reasons() {}
}
