package dev.integrations.s3.controller.common;

import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.ConnectionFailure;
import dev.integrations.s3.storage.StorageException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Why a step of a reconcile cannot go on: the condition it belongs to ({@link ConditionTypes#READY}
 * when it concerns the whole resource), a CamelCase reason, a message without secrets, and whether
 * a retry with backoff can succeed without anyone changing an input. Permanent failures end the
 * reconcile in Ready=False and are looked at again when an input changes or at the next
 * verification; transient ones are retried with backoff.
 */
public final class StepFailure extends RuntimeException {
  /**
   * Reasons that concern the storage connection as a whole rather than one step: no step can be
   * evaluated while they last.
   */
  private static final Set<String> CONNECTION =
      Set.of(
          Reasons.ENDPOINT_UNREACHABLE,
          Reasons.TLS_ERROR,
          Reasons.ENDPOINT_NOT_ALLOWED,
          Reasons.ADMIN_CREDENTIALS_INVALID);

  public final String type;
  public final String reason;
  public final boolean retry;

  private StepFailure(String type, String reason, String message, boolean retry, Throwable cause) {
    super(message, cause, false, false);
    this.type = type;
    this.reason = reason;
    this.retry = retry;
  }

  /** An input or ownership problem: nothing changes until someone changes an input. */
  public static StepFailure permanent(String type, String reason, String message) {
    return new StepFailure(type, reason, message, false, null);
  }

  /** Something that passes on its own (a race, a server starting): retried with backoff. */
  public static StepFailure transientFailure(String type, String reason, String message) {
    return new StepFailure(type, reason, message, true, null);
  }

  /** A storage failure in the step of {@code type}; connection-wide ones concern Ready. */
  public static StepFailure of(String type, StorageException e) {
    String at = CONNECTION.contains(e.reason()) ? ConditionTypes.READY : type;
    return new StepFailure(at, e.reason(), e.getMessage(), e.isTransient(), e);
  }

  /** Runs one storage call of the step of {@code type}, classifying what it throws. */
  public static <T> T in(String type, Supplier<T> call) {
    try {
      return call.get();
    } catch (StorageException e) {
      throw of(type, e);
    }
  }

  /** As {@link #in(String, Supplier)} for a call without a result. */
  public static void run(String type, Runnable call) {
    in(
        type,
        () -> {
          call.run();
          return null;
        });
  }

  /**
   * The reason a tenant may read: a connection that fails in any way is EndpointUnreachable (see
   * {@link ConnectionFailure}).
   */
  public String tenantReason() {
    return getCause() instanceof ConnectionFailure ? Reasons.ENDPOINT_UNREACHABLE : reason;
  }

  /** Whether the detail of this failure is kept from tenants (the operator's log has it). */
  public boolean detailWithheld() {
    return getCause() instanceof ConnectionFailure;
  }

  /**
   * The message a tenant may read. When the store's admin keys fail, what the storage said names
   * the platform's admin access key: the integration says only that the store's keys do not work,
   * and the store's own status (which its administrator reads) keeps the detail.
   */
  public String tenantMessage() {
    if (getCause() instanceof ConnectionFailure c) {
      return c.tenantMessage();
    }
    if (Reasons.ADMIN_CREDENTIALS_INVALID.equals(reason)) {
      return "the store's admin keys were rejected by its storage; whoever administers the store"
          + " finds the details in the store's status";
    }
    if (Reasons.ADMIN_ACCESS_DENIED.equals(reason)) {
      return "the store's admin keys lack admin rights on its storage; whoever administers the"
          + " store finds the details in the store's status";
    }
    return getMessage();
  }
}
