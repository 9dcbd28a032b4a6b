package dev.integrations.s3.policy;

import static dev.integrations.s3.policy.Quoting.quote;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validation of S3 general purpose bucket names.
 *
 * <p>A bucket name ends up inside an ARN of an IAM policy, so a malformed name would either make
 * the storage server reject the policy or, worse, grant something other than intended. The rules
 * are the AWS naming rules for general purpose buckets, which MinIO enforces in its strict mode.
 * {@link #problem(String)} reports the first rule a name breaks, in the order the rules are listed
 * in the AWS documentation, with a message that names the value.
 */
public final class BucketNames {

  /** Shortest allowed bucket name. */
  public static final int MIN_LENGTH = 3;

  /** Longest allowed bucket name. */
  public static final int MAX_LENGTH = 63;

  private static final Pattern ALLOWED_CHARACTERS = Pattern.compile("[a-z0-9.-]*");
  private static final Pattern IP_ADDRESS = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+");
  private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
  private static final List<String> RESERVED_SUFFIXES =
      List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

  private BucketNames() {}

  /**
   * Returns why {@code name} is not a valid bucket name, or empty when it is valid.
   *
   * @param name the bucket name, may be null
   * @return one message naming the value and the first rule it breaks
   */
  public static Optional<String> problem(String name) {
    if (name == null) {
      return Optional.of("bucket name must be set");
    }
    String q = "bucket name " + quote(name);
    if (name.isEmpty()) {
      return Optional.of(q + " must not be empty");
    }
    if (name.length() < MIN_LENGTH || name.length() > MAX_LENGTH) {
      return Optional.of(
          q
              + " must be between "
              + MIN_LENGTH
              + " and "
              + MAX_LENGTH
              + " characters long, but is "
              + name.length());
    }
    if (!ALLOWED_CHARACTERS.matcher(name).matches()) {
      return Optional.of(q + " must contain only lower-case letters, digits, dots and hyphens");
    }
    if (!isLetterOrDigit(name.charAt(0))) {
      return Optional.of(q + " must start with a lower-case letter or digit");
    }
    if (!isLetterOrDigit(name.charAt(name.length() - 1))) {
      return Optional.of(q + " must end with a lower-case letter or digit");
    }
    if (name.contains("..")) {
      return Optional.of(q + " must not contain two adjacent periods");
    }
    if (IP_ADDRESS.matcher(name).matches()) {
      return Optional.of(q + " must not be formatted as an IP address");
    }
    for (String prefix : RESERVED_PREFIXES) {
      if (name.startsWith(prefix)) {
        return Optional.of(q + " must not start with the reserved prefix \"" + prefix + "\"");
      }
    }
    for (String suffix : RESERVED_SUFFIXES) {
      if (name.endsWith(suffix)) {
        return Optional.of(q + " must not end with the reserved suffix \"" + suffix + "\"");
      }
    }
    return Optional.empty();
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }
}
