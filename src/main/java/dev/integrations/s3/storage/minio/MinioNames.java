package dev.integrations.s3.storage.minio;

import dev.integrations.s3.naming.Names;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names of the MinIO users and policies the operator manages.
 *
 * <p>MinIO's own rules for an IAM user's access key (server {@code internal/auth/credentials.go}):
 * at least 3 characters, none of the reserved characters {@code =} and {@code ,}, no leading or
 * trailing space. Plain IAM users have no upper bound in {@code add-user}, but users are stored as
 * files (so very long names fail) and service accounts/STS cap keys at 20 characters. We therefore
 * allow 3 to {@value #MAX_USER_NAME_LENGTH} characters of {@code [A-Za-z0-9._@-]}, starting with a
 * letter or digit — what {@link #userName} derives.
 */
public final class MinioNames {
  private MinioNames() {}

  /** Longest user name we create or accept. */
  public static final int MAX_USER_NAME_LENGTH = 64;

  /** Shortest user name MinIO accepts. */
  public static final int MIN_USER_NAME_LENGTH = 3;

  /** Prefix of every policy the operator creates, so they stay apart from hand-made ones. */
  public static final String POLICY_PREFIX = "s3i-";

  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]*");
  private static final Pattern DISALLOWED = Pattern.compile("[^A-Za-z0-9._@-]");
  private static final int HASH_CHARS = 16;

  /** The hash of user names derived before 2026-12 (32 bits): kept for users that exist. */
  private static final int LEGACY_HASH_CHARS = 8;

  /** The policy the operator manages for this user: {@code s3i-<userName>}. */
  public static String policyName(String userName) {
    Objects.requireNonNull(userName, "userName");
    return POLICY_PREFIX + userName;
  }

  /**
   * The managed user of an integration: {@code <prefix><namespace>.<name>}, deterministic. Never
   * chosen by a tenant: the prefix is the store's, namespace and name are the integration's.
   *
   * <p>The separator is a dot because Kubernetes namespaces (DNS labels) cannot contain one, so the
   * first dot after the prefix splits the name unambiguously: {@code a-b/c} and {@code a/b-c} get
   * different users ({@code a-b.c} and {@code a.b-c}), which a dash would have merged. A name
   * longer than {@value #MAX_USER_NAME_LENGTH} characters is cut to a prefix plus {@code -} plus
   * the first 16 hex characters (64 bits) of SHA-256 of {@code <prefix><namespace>/<name>}, exactly
   * {@value #MAX_USER_NAME_LENGTH} characters, so distinct resources keep distinct users.
   * Characters MinIO would not accept (impossible in valid Kubernetes names and prefixes) are
   * replaced by {@code -} and force the hashed form, for the same reason.
   *
   * @param prefix the store's user prefix, possibly empty (at most 32 characters)
   */
  public static String userName(String prefix, String namespace, String name) {
    return userName(prefix, namespace, name, HASH_CHARS);
  }

  /**
   * The name {@link #userName} gave before its hash grew from 32 to 64 bits (a squatter needed
   * about 2^32 attempts to take a long name), or empty when the name is not hashed and so did not
   * change. An integration whose record names this user keeps it: its consumers' keys stay valid.
   */
  public static Optional<String> legacyUserName(String prefix, String namespace, String name) {
    String legacy = userName(prefix, namespace, name, LEGACY_HASH_CHARS);
    return legacy.equals(userName(prefix, namespace, name))
        ? Optional.empty()
        : Optional.of(legacy);
  }

  /**
   * Whether {@code user} is the one derived for this integration under this prefix, now or before.
   */
  public static boolean derivedFrom(String user, String prefix, String namespace, String name) {
    return user.equals(userName(prefix, namespace, name))
        || legacyUserName(prefix, namespace, name).map(user::equals).orElse(false);
  }

  private static String userName(String prefix, String namespace, String name, int hashChars) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    String p = prefix == null ? "" : prefix;
    if (namespace.isEmpty() || name.isEmpty()) {
      throw new IllegalArgumentException("namespace and name must not be empty");
    }
    String joined = p + namespace + "." + name;
    String clean = DISALLOWED.matcher(joined).replaceAll("-");
    if (!Character.isLetterOrDigit(clean.charAt(0))) {
      clean = "u" + clean;
    }
    boolean altered = !clean.equals(joined);
    if (!altered && clean.length() <= MAX_USER_NAME_LENGTH) {
      return clean;
    }
    String hash = Names.sha256Hex(p + namespace + "/" + name).substring(0, hashChars);
    int keep = Math.min(clean.length(), MAX_USER_NAME_LENGTH - hashChars - 1);
    return clean.substring(0, keep) + "-" + hash;
  }

  /**
   * Why this name cannot be a MinIO user name, or empty when it can.
   *
   * @param userName a derived user name
   */
  public static Optional<String> userNameProblem(String userName) {
    if (userName == null || userName.isEmpty()) {
      return Optional.of("the user name is empty");
    }
    if (userName.length() < MIN_USER_NAME_LENGTH || userName.length() > MAX_USER_NAME_LENGTH) {
      return Optional.of(
          "the user name must be "
              + MIN_USER_NAME_LENGTH
              + " to "
              + MAX_USER_NAME_LENGTH
              + " characters long, not "
              + userName.length());
    }
    if (userName.contains("=") || userName.contains(",")) {
      return Optional.of("the user name must not contain '=' or ',' (reserved by MinIO)");
    }
    if (!USER_NAME.matcher(userName).matches()) {
      return Optional.of(
          "the user name may contain only letters, digits and . _ @ - and must start with a"
              + " letter or digit");
    }
    return Optional.empty();
  }
}
