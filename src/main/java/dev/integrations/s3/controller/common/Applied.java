package dev.integrations.s3.controller.common;

/**
 * What an applier did: the step it belongs to, the outcome, and the Event that reports it (no Event
 * for {@link Outcome#NOOP}).
 *
 * @param type the condition type of the step
 * @param outcome what happened
 * @param event CamelCase Event reason
 * @param message Event message, without secrets
 */
public record Applied(String type, Outcome outcome, String event, String message) {
  /** The result of one write. */
  public enum Outcome {
    NOOP,
    CREATED,
    UPDATED,
    DELETED
  }

  public static Applied noop(String type) {
    return new Applied(type, Outcome.NOOP, null, null);
  }
}
