package dev.integrations.s3.status;

/** Condition types and CamelCase reasons used by both resources: one vocabulary, one place. */
public final class Reasons {
  // condition types
  public static final String READY = "Ready";
  public static final String CREDENTIALS_READY = "CredentialsReady";
  public static final String POLICY_APPLIED = "PolicyApplied";
  public static final String ACCESS_VERIFIED = "AccessVerified";
  public static final String SECRET_READY = "SecretReady";

  // reasons
  public static final String VALID = "Valid";
  public static final String INVALID_SPEC = "InvalidSpec";

  private Reasons() {}
}
