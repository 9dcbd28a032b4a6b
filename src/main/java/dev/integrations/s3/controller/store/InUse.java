package dev.integrations.s3.controller.store;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The in-use finalizer: a store being deleted is kept while any integration counts for it, like
 * COSI's protection finalizers, so that no integration loses the store it runs on.
 */
final class InUse {
  /**
   * How soon a kept store is looked at again. Integrations going away reconcile the store at once;
   * this is only the fallback.
   */
  static final Duration IN_USE_WAIT = Duration.ofMinutes(2);

  /** Names listed in the warning; more are shown as "...". */
  private static final int NAMED = 5;

  private InUse() {}

  /**
   * Why the store is kept (the warning Event's message), or empty when nothing uses it and its
   * finalizer goes.
   */
  static Optional<String> keeps(List<S3Integration> users) {
    if (users.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "deletion waits: "
            + users.size()
            + " S3Integration(s) use this store ("
            + users.stream()
                .limit(NAMED)
                .map(i -> i.getMetadata().getNamespace() + "/" + i.getMetadata().getName())
                .collect(Collectors.joining(", "))
            + (users.size() > NAMED ? ", ..." : "")
            + "); delete them or point them at another store first");
  }
}
