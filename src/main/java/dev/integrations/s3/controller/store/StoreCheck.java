package dev.integrations.s3.controller.store;

import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.common.StorageConnections;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.store.ResolvedStore;
import dev.integrations.s3.verify.AccessProber;

/**
 * A store's check: the storage answers and, when the store has admin keys, they administer it (one
 * read of the admin's own user). A failure is a {@link StepFailure} of Ready.
 */
final class StoreCheck {
  private final StorageConnections connections;
  private final AccessProber prober;

  StoreCheck(StorageConnections connections, AccessProber prober) {
    this.connections = connections;
    this.prober = prober;
  }

  void run(ResolvedStore store) {
    if (store.managed()) {
      StorageConnections.Connection c = connections.admin(store);
      StepFailure.in(ConditionTypes.READY, () -> c.admin().user(c.keys().accessKey()));
    } else {
      StorageConnections.Connection c = connections.endpoint(store);
      try {
        prober.reach(c.endpoint());
      } catch (StorageException e) {
        throw StepFailure.of(ConditionTypes.READY, e);
      }
    }
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
