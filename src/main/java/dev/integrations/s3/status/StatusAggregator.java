package dev.integrations.s3.status;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Builds the conditions of one resource for one reconcile, for every kind: the steps a kind is made
 * of, each True, False or Unknown with a reason, and {@code Ready} aggregated from them in one
 * place. Ready is True only when every step is True for the current generation; otherwise it
 * carries the reason and message of the first step that is not, or of an obstacle that concerns the
 * whole resource ({@link #blocked} with {@link ConditionTypes#READY}).
 *
 * <p>{@code lastTransitionTime} is kept by {@link Conditions#set} unless a status flips, so
 * building the same state twice gives equal conditions, which the reconcilers then do not write.
 */
public final class StatusAggregator {
  private final Conditions conditions;
  private final List<String> steps;
  private final Long generation;
  private List<Condition> current;
  private String readyStatus;
  private String readyReason;
  private String readyMessage;

  /**
   * @param steps the condition types Ready is made of, in display order (empty: Ready alone)
   * @param previous the conditions the resource has now
   * @param generation the generation being reconciled
   */
  public StatusAggregator(
      Conditions conditions, List<String> steps, List<Condition> previous, Long generation) {
    this.conditions = conditions;
    this.steps = List.copyOf(steps);
    this.generation = generation;
    this.current = new ArrayList<>(previous == null ? List.of() : previous);
  }

  /** The step holds. */
  public StatusAggregator met(String type, String reason, String message) {
    return set(type, Conditions.TRUE, reason, message);
  }

  /** The step does not hold; later steps keep what they say. */
  public StatusAggregator unmet(String type, String reason, String message) {
    return set(type, Conditions.FALSE, reason, message);
  }

  /**
   * An obstacle at {@code type}: that step False, every later step Unknown (waiting for it), and
   * Ready False with the obstacle's reason and message. With {@link ConditionTypes#READY} the
   * obstacle concerns the whole resource and every step waits.
   */
  public StatusAggregator blocked(String type, String reason, String message) {
    int at = steps.indexOf(type);
    if (at >= 0) {
      set(type, Conditions.FALSE, reason, message);
    }
    String waitingFor = at < 0 ? reason : type + " (" + reason + ")";
    for (int i = at + 1; i < steps.size(); i++) {
      set(steps.get(i), Conditions.UNKNOWN, Reasons.PENDING, "waiting for " + waitingFor);
    }
    return ready(Conditions.FALSE, reason, message);
  }

  /** A condition beside the steps: shown after Ready, never part of it. */
  public StatusAggregator beside(String type, String status, String reason, String message) {
    if (steps.contains(type) || ConditionTypes.READY.equals(type)) {
      throw new IllegalArgumentException(type + " is a step or Ready");
    }
    return set(type, status, reason, message);
  }

  /** Removes a condition beside the steps (what it was about is gone). */
  public StatusAggregator without(String type) {
    if (steps.contains(type) || ConditionTypes.READY.equals(type)) {
      throw new IllegalArgumentException(type + " is a step or Ready");
    }
    current = new ArrayList<>(current.stream().filter(c -> !type.equals(c.getType())).toList());
    return this;
  }

  /** Ready is Unknown for a reason of its own (paused), whatever the steps say. */
  public StatusAggregator held(String reason, String message) {
    return ready(Conditions.UNKNOWN, reason, message);
  }

  /**
   * The conditions, steps in display order and Ready last.
   *
   * @param reason Ready's reason when every step holds
   * @param message Ready's message when every step holds
   */
  public List<Condition> conditions(String reason, String message) {
    if (readyStatus == null) {
      aggregate(reason, message);
    }
    set(ConditionTypes.READY, readyStatus, readyReason, readyMessage);
    List<Condition> sorted = new ArrayList<>(current);
    sorted.sort(Comparator.comparingInt(this::order));
    return sorted;
  }

  private void aggregate(String reason, String message) {
    for (String type : steps) {
      Condition c = Conditions.find(current, type).orElse(null);
      if (c == null) {
        ready(Conditions.UNKNOWN, Reasons.PENDING, type + " has not been evaluated");
        return;
      }
      if (!Conditions.TRUE.equals(c.getStatus())
          || !Objects.equals(c.getObservedGeneration(), generation)) {
        ready(
            Conditions.FALSE.equals(c.getStatus()) ? Conditions.FALSE : Conditions.UNKNOWN,
            c.getReason(),
            c.getMessage());
        return;
      }
    }
    ready(Conditions.TRUE, reason, message);
  }

  private StatusAggregator ready(String status, String reason, String message) {
    readyStatus = status;
    readyReason = reason;
    readyMessage = message;
    return this;
  }

  private StatusAggregator set(String type, String status, String reason, String message) {
    current = conditions.set(current, type, status, reason, message, generation);
    return this;
  }

  private int order(Condition c) {
    int i = steps.indexOf(c.getType());
    return i >= 0 ? i : ConditionTypes.READY.equals(c.getType()) ? steps.size() : steps.size() + 1;
  }
}
