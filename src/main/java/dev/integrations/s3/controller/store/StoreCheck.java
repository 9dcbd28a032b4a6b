package dev.integrations.s3.controller.store;

import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.common.StorageConnections;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.store.ResolvedStore;
import dev.integrations.s3.verify.AccessProber;
import java.time.Duration;

/**
 * A store's check: the storage answers and, when the store has admin keys, they administer it (one
 * read of the admin's own user). A failure is a {@link StepFailure} of Ready.
 *
 * <p>Its duration: one HTTP call, bounded by OkHttp's call timeout, the endpoint's connect plus
 * read timeout (OkHttp's own retry of a failed connection included; the operator does not retry
 * within a check, a failed check is tried again at the next reconcile). On a platform store that is
 * 5 + 20 = 25 s. On a tenant's S3Store, whose server may drip bytes to hold the thread, the read
 * timeout is {@link #TENANT_READ_TIMEOUT}: at most {@link #TENANT_BUDGET} per check.
 */
final class StoreCheck {
  /** The read timeout of a check of a tenant's S3Store (a platform store's: 20 s). */
  static final Duration TENANT_READ_TIMEOUT = Duration.ofSeconds(10);

  /** The longest check of a tenant's S3Store: connect and read timeouts, one call. */
  static final Duration TENANT_BUDGET =
      StorageEndpoint.DEFAULT_CONNECT_TIMEOUT.plus(TENANT_READ_TIMEOUT);

  private final StorageConnections connections;
  private final AccessProber prober;

  StoreCheck(StorageConnections connections, AccessProber prober) {
    this.connections = connections;
    this.prober = prober;
  }

  void run(ResolvedStore store) {
    StorageEndpoint at = endpoint(store);
    if (store.managed()) {
      StorageConnections.Connection c = connections.admin(store, at);
      StepFailure.in(ConditionTypes.READY, () -> c.admin().user(c.keys().accessKey()));
    } else {
      StorageConnections.Connection c = connections.endpoint(store, at);
      try {
        prober.reach(c.endpoint());
      } catch (StorageException e) {
        throw StepFailure.of(ConditionTypes.READY, e);
      }
    }
  }

  /** The endpoint a check calls: a tenant's S3Store with {@link #TENANT_READ_TIMEOUT}. */
  static StorageEndpoint endpoint(ResolvedStore store) {
    StorageEndpoint endpoint = store.endpoint();
    return store.kind() == StoreKind.S3Store
        ? endpoint.withReadTimeout(TENANT_READ_TIMEOUT)
        : endpoint;
  }

  /** Ready's reason when the check passes. */
  static String passedReason(ResolvedStore store) {
    return store.managed() ? Reasons.ADMIN_READY : Reasons.REACHABLE;
  }

  /** Ready's message when the check passes. */
  static String passedMessage(ResolvedStore store) {
    String url = store.endpoint().url();
    return store.managed()
        ? "the admin keys administer " + url
        : url + " answers (validate-only: integrations bring their own keys)";
  }
}
