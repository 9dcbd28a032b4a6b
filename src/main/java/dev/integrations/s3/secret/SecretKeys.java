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

  public static String generate() {
    StringBuilder sb = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
