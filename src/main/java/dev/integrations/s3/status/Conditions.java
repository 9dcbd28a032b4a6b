package dev.integrations.s3.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Condition bookkeeping shared by the controllers of all four kinds.
 *
 * <p>{@code lastTransitionTime} changes only when a condition's status flips, so that writing the
 * same state twice yields an equal status, which the reconcilers then do not write at all.
 */
public final class Conditions {

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  /**
   * Longest message kept, in characters: status stays small whatever a message lists (prefixes,
   * buckets); the rest is replaced by a count.
   */
  public static final int MAX_MESSAGE = 1024;

  private final Clock clock;

  public Conditions(Clock clock) {
    this.clock = clock;
  }

  /** Finds the condition of the given type. */
  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** True when the condition of that type exists and is {@code True}. */
  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }

  /**
   * Returns a new list in which the condition of {@code type} has the given values. The previous
   * {@code lastTransitionTime} is kept unless the status changed; other conditions keep their
   * order, and a new type is appended.
   */
  public List<Condition> set(
      List<Condition> current,
      String type,
      String status,
      String reason,
      String message,
      Long observedGeneration) {
    List<Condition> result = new ArrayList<>(current == null ? List.of() : current);
    Optional<Condition> previous = find(result, type);
    String transition =
        previous
            .filter(p -> Objects.equals(p.getStatus(), status))
            .map(Condition::getLastTransitionTime)
            .orElseGet(this::now);
    Condition updated =
        new ConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(cap(message))
            .withObservedGeneration(observedGeneration)
            .withLastTransitionTime(transition)
            .build();
    if (previous.isPresent()) {
      result.set(result.indexOf(previous.get()), updated);
    } else {
      result.add(updated);
    }
    return result;
  }

  /** The message, cut to {@link #MAX_MESSAGE} characters with how much was left out. */
  static String cap(String message) {
    if (message == null || message.length() <= MAX_MESSAGE) {
      return message;
    }
    String tail = "… (" + (message.length() - MAX_MESSAGE) + " more characters)";
    return message.substring(0, MAX_MESSAGE - tail.length()) + tail;
  }

  /** RFC 3339 in whole seconds, as Kubernetes stores metav1.Time. */
  public String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
