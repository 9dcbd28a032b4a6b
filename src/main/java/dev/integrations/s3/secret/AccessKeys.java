package dev.integrations.s3.secret;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What status, Events, logs and messages may show of an access key read from a Secret.
 *
 * <p>An access key is not a secret, but the value the operator reads under {@code accessKeyKey} may
 * be anything the Secret holds: the secret key when the two keys are swapped, or a database
 * password when a tenant names {@code password}. Such a value must never reach status (readable by
 * {@code view}), an Event or a log line. Two rules keep it out:
 *
 * <ul>
 *   <li>a value that has not authenticated is never shown at all (callers name the Secret and its
 *       key instead);
 *   <li>a value is shown only with an access key's shape: 3 to 128 characters of {@code
 *       [A-Za-z0-9._@-]}, starting with a letter or digit (AWS key ids are 16 to 128 word
 *       characters, MinIO's generated keys 20 upper-case letters and digits, the operator's {@code
 *       S3I…} keys 20 and its derived user names at most 64 of the same set), and not what a
 *       generated secret key looks like: 32 characters or more mixing upper-case letters,
 *       lower-case letters and digits (the operator's secret keys are 40 such characters; AWS's and
 *       MinIO's are 40 of base64, whose {@code /} and {@code +} the character set already
 *       excludes). Anything else is not shown, not even in part: four characters of a password are
 *       four characters too many.
 * </ul>
 */
public final class AccessKeys {
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{2,127}");

  /** From this length on, a mix of upper, lower and digits reads as a generated secret key. */
  static final int SECRET_LIKE_LENGTH = 32;

  private AccessKeys() {}

  /** True when the value may be shown as an access key. */
  public static boolean showable(String value) {
    if (value == null || !SHAPE.matcher(value).matches()) {
      return false;
    }
    if (value.length() < SECRET_LIKE_LENGTH) {
      return true;
    }
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      digit |= c >= '0' && c <= '9';
    }
    return !(upper && lower && digit);
  }

  /** The value when it may be shown, else empty. */
  public static Optional<String> shown(String value) {
    return showable(value) ? Optional.of(value) : Optional.empty();
  }

  /**
   * For a message: {@code access key "AKIA…"}, or {@code an access key that is not shown (not an
   * access key's shape)}.
   */
  public static String describe(String value) {
    return showable(value)
        ? "access key \"" + value + "\""
        : "an access key that is not shown (not an access key's shape)";
  }
}
