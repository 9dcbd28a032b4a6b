package dev.integrations.s3.status;

/** Condition types and CamelCase reasons used by both resources: one vocabulary, one place. */
public final class Reasons {
  // condition types
  public static final String READY = "Ready";
  public static final String CREDENTIALS_READY = "CredentialsReady";
  public static final String POLICY_APPLIED = "PolicyApplied";
  public static final String ACCESS_VERIFIED = "AccessVerified";
  public static final String SECRET_READY = "SecretReady";

  // success reasons
  public static final String VALID = "Valid";
  public static final String READY_REASON = "Ready";
  public static final String USER_READY = "UserReady";
  public static final String KEYS_PROVIDED = "KeysProvided";
  public static final String POLICY_ATTACHED = "PolicyAttached";
  public static final String NOT_APPLICABLE = "NotApplicable";
  public static final String VERIFIED = "Verified";
  public static final String SECRET_WRITTEN = "SecretWritten";

  // failure reasons
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String SECRET_CONFLICT = "SecretConflict";
  public static final String USER_CONFLICT = "UserConflict";
  public static final String POLICY_CONFLICT = "PolicyConflict";
  public static final String POLICY_NOT_FOUND = "PolicyNotFound";
  public static final String POLICY_NOT_READY = "PolicyNotReady";
  public static final String NO_SUCH_BUCKET = "NoSuchBucket";
  public static final String ACCESS_DENIED = "AccessDenied";
  public static final String VERIFICATION_FAILED = "VerificationFailed";
  public static final String SCOPE_CONFLICT = "ScopeConflict";
  public static final String PAUSED = "Paused";
  public static final String PENDING = "Pending";
  public static final String RECONCILE_ERROR = "ReconcileError";

  private Reasons() {}
}
