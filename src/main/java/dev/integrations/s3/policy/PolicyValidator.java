package dev.integrations.s3.policy;

import static dev.integrations.s3.policy.Quoting.quote;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a {@link ReadGrant} before it is turned into a policy and reports every problem at once.
 *
 * <p>Reporting all problems (rather than the first) lets a user fix a custom resource in one go.
 * Each message names the offending value. Duplicated buckets, prefixes and actions are not
 * problems: {@link PolicyDocument} merges them.
 */
public final class PolicyValidator {

  /** Most buckets one grant may name. */
  public static final int MAX_BUCKETS = 100;

  /** Longest prefix, in characters (S3 object keys are at most 1024 bytes). */
  public static final int MAX_PREFIX_LENGTH = 1024;

  private PolicyValidator() {}

  /**
   * Returns every problem of {@code grant}: bucket count, bucket names, prefixes and actions.
   *
   * @param grant the grant to check, may be null
   * @return the problems in input order without repeats; empty when the grant is valid
   */
  public static List<String> problems(ReadGrant grant) {
    if (grant == null) {
      return List.of("read grant must be set");
    }
    Set<String> problems = new LinkedHashSet<>();
    List<BucketGrant> buckets = grant.buckets();
    if (buckets.isEmpty()) {
      problems.add("at least one bucket is required");
    } else if (buckets.size() > MAX_BUCKETS) {
      problems.add(
          "at most " + MAX_BUCKETS + " buckets are allowed, but " + buckets.size() + " are given");
    }
    for (int i = 0; i < buckets.size(); i++) {
      BucketGrant bucket = buckets.get(i);
      if (bucket == null) {
        problems.add("buckets[" + i + "] must be set");
        continue;
      }
      BucketNames.problem(bucket.bucket()).ifPresent(problems::add);
      for (String prefix : bucket.prefixes()) {
        prefixProblem(bucket.bucket(), prefix).ifPresent(problems::add);
      }
    }
    for (String action : grant.actions()) {
      ReadActions.problem(action).ifPresent(problems::add);
    }
    return List.copyOf(new ArrayList<>(problems));
  }

  /**
   * Returns why {@code prefix} cannot be granted on {@code bucket}, or empty when it can.
   *
   * <p>A prefix must be non-empty (no prefixes at all means the whole bucket), must not start with
   * "/" (S3 keys do not), must not contain the wildcards "*" or "?" (the operator appends "*"
   * itself), must not contain "${" (the storage server would read it as a policy variable) and may
   * be at most {@value #MAX_PREFIX_LENGTH} characters long.
   */
  public static Optional<String> prefixProblem(String bucket, String prefix) {
    String where = " for bucket " + quote(bucket);
    if (prefix == null) {
      return Optional.of("prefix" + where + " must be set");
    }
    String q = "prefix " + quote(prefix) + where;
    if (prefix.isEmpty()) {
      return Optional.of(q + " must not be empty: leave out prefixes to grant the whole bucket");
    }
    int length = prefix.codePointCount(0, prefix.length());
    if (length > MAX_PREFIX_LENGTH) {
      return Optional.of(
          q + " must be at most " + MAX_PREFIX_LENGTH + " characters long, but is " + length);
    }
    if (prefix.startsWith("/")) {
      return Optional.of(q + " must not start with \"/\": object keys do not begin with a slash");
    }
    if (prefix.indexOf('*') >= 0 || prefix.indexOf('?') >= 0) {
      return Optional.of(
          q + " must not contain the wildcards \"*\" or \"?\": the operator appends \"*\" itself");
    }
    if (prefix.contains("${")) {
      return Optional.of(
          q + " must not contain \"${\": the storage server would read it as a policy variable");
    }
    return Optional.empty();
  }
}
