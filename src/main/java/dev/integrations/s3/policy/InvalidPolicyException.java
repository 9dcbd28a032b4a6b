package dev.integrations.s3.policy;

import java.util.List;

/**
 * Thrown when a read grant or a policy document cannot be turned into a valid S3 policy.
 *
 * <p>It is unchecked because every cause is a user input error the caller reports back (for example
 * in a custom resource status), not something to recover from locally. {@link #problems()} keeps
 * the individual messages so a caller can list them separately.
 */
public final class InvalidPolicyException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /** One problem, used as the message. */
  public InvalidPolicyException(String problem) {
    super(problem);
    this.problems = List.of(problem);
  }

  /** One problem with the exception that revealed it. */
  public InvalidPolicyException(String problem, Throwable cause) {
    super(problem, cause);
    this.problems = List.of(problem);
  }

  /** Several problems; the message joins them with "; ". */
  public InvalidPolicyException(List<String> problems) {
    super(join(problems));
    this.problems = List.copyOf(problems);
  }

  /** The individual problems, never empty. */
  public List<String> problems() {
    return problems;
  }

  private static String join(List<String> problems) {
    if (problems == null || problems.isEmpty()) {
      throw new IllegalArgumentException("an InvalidPolicyException needs at least one problem");
    }
    return problems.size() == 1
        ? problems.get(0)
        : problems.size() + " problems: " + String.join("; ", problems);
  }
}
