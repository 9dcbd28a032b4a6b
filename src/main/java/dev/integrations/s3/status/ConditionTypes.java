package dev.integrations.s3.status;

import java.util.List;

/** Condition types. Reasons are a separate vocabulary: {@link Reasons}. */
public final class ConditionTypes {
  /** Every kind: True only when every step below is True for the current generation. */
  public static final String READY = "Ready";

  // the steps of an S3Integration
  public static final String CREDENTIALS_READY = "CredentialsReady";
  public static final String POLICY_APPLIED = "PolicyApplied";
  public static final String ACCESS_VERIFIED = "AccessVerified";
  public static final String SECRET_READY = "SecretReady";

  /**
   * Beside the steps, not part of Ready: whether the store's browser-facing endpoint answered the
   * issued keys. Absent when the store has none.
   */
  public static final String PUBLIC_ENDPOINT_VERIFIED = "PublicEndpointVerified";

  /** The steps Ready of an S3Integration is made of, in the order kubectl describe shows them. */
  public static final List<String> INTEGRATION_STEPS =
      List.of(CREDENTIALS_READY, POLICY_APPLIED, ACCESS_VERIFIED, SECRET_READY);

  private ConditionTypes() {}
}
