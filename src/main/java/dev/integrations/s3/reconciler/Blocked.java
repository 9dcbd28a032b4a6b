package dev.integrations.s3.reconciler;

/**
 * A permanent obstacle found during a reconcile: it ends in Ready=False with this reason and
 * message on the given condition, and no retry until the input changes (or the next periodic
 * verification). Messages must never contain secrets.
 */
final class Blocked extends RuntimeException {
  final String conditionType;
  final String reason;

  Blocked(String conditionType, String reason, String message) {
    super(message, null, false, false);
    this.conditionType = conditionType;
    this.reason = reason;
  }
}
