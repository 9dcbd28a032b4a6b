package dev.integrations.s3.secret;

import java.security.SecureRandom;

/** Secret keys for new service users. */
public final class SecretKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /** 40 characters, the length MinIO and AWS use: about 238 bits from SecureRandom. */
  public static final int LENGTH = 40;

  private SecretKeys() {}

  /** Prefix of the service-account access keys the operator issues at a rotation. */
  public static final String KEY_ID_PREFIX = "S3I";

  /**
   * A service-account access key: {@code S3I} and 17 upper-case letters or digits, 20 characters,
   * MinIO's limit for service accounts (about 88 bits: unique, not a secret).
   */
  public static String generateKeyId() {
    String upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder sb = new StringBuilder(KEY_ID_PREFIX);
    while (sb.length() < 20) {
      sb.append(upper.charAt(RANDOM.nextInt(upper.length())));
    }
    return sb.toString();
  }

  public static String generate() {
    StringBuilder sb = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
