package dev.integrations.s3.naming;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names and label values the operator derives from a resource's name, kept within Kubernetes'
 * limits whatever name the API server admitted: too long, they are cut and end in 8 hex characters
 * of SHA-256 of the whole, so distinct names stay distinct and the same name maps the same way.
 */
public final class Names {
  private static final int HASH = 8;

  private Names() {}

  /**
   * {@code base + suffix} when it fits in {@code max} characters, else the base cut so that {@code
   * base-cut + "-" + hash + suffix} does.
   */
  public static String bounded(String base, String suffix, int max) {
    if (base.length() + suffix.length() <= max) {
      return base + suffix;
    }
    String hash = sha256Hex(base).substring(0, HASH);
    String cut = base.substring(0, max - suffix.length() - HASH - 1);
    while (!cut.isEmpty() && !Character.isLetterOrDigit(cut.charAt(cut.length() - 1))) {
      cut = cut.substring(0, cut.length() - 1); // a name part must end in a letter or digit
    }
    return cut + "-" + hash + suffix;
  }

  /** A label value (at most 63 characters) naming this resource. */
  public static String labelValue(String name) {
    return bounded(name, "", 63);
  }

  /** SHA-256 of the text, in lower-case hex. */
  public static String sha256Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
