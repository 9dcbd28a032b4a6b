package dev.integrations.s3.reconciler;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.status.Reasons;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deletion of an S3Integration: the writes {@link Decider#cleanup} asks for, on the storage the
 * integration points at. A storage that cannot be reached retries with backoff; the skip-cleanup
 * annotation releases the deletion without touching the storage.
 */
final class IntegrationCleanup {
  private static final long WAIT = Duration.ofMinutes(1).toMillis();

  private final OperatorConfig config;
  private final Events events;
  private final Reporter reporter;

  IntegrationCleanup(OperatorConfig config, Events events, Reporter reporter) {
    this.config = config;
    this.events = events;
    this.reporter = reporter;
  }

  DeleteControl cleanup(S3Integration resource, Observer observer, Observation output) {
    Map<String, String> annotations =
        resource.getMetadata().getAnnotations() == null
            ? Map.of()
            : resource.getMetadata().getAnnotations();
    if ("true".equals(annotations.get(ApiGroup.SKIP_CLEANUP_ANNOTATION))) {
      events.normal(
          resource, "CleanupSkipped", "skip-cleanup annotation set: storage left as it is");
      return DeleteControl.defaultDelete();
    }
    List<Action> actions = Decider.cleanup(resource, output);
    if (actions.isEmpty()) {
      return DeleteControl.defaultDelete();
    }
    String what = describe(actions);
    if ("true".equals(annotations.get(ApiGroup.PAUSED_ANNOTATION))) {
      events.warning(
          resource,
          Reasons.PAUSED,
          "deletion waits: the resource is paused; remove the paused annotation or set"
              + " s3.integrations.dev/skip-cleanup: \"true\"");
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(WAIT);
    }
    Observer.Connection connection;
    try {
      IntegrationModel model = IntegrationModel.from(resource, n -> Optional.empty(), config);
      connection = observer.connect(resource.getMetadata().getNamespace(), model);
    } catch (StepFailure f) {
      waits(resource, f, what, "fix it, or set");
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(WAIT);
    }
    List<Applied> results = new ArrayList<>();
    try {
      for (Action action : actions) {
        results.add(
            MinioUserApplier.handles(action)
                ? MinioUserApplier.apply(connection.admin(), action, null, null)
                : MinioPolicyApplier.apply(connection.admin(), action));
      }
    } catch (StepFailure f) {
      waits(resource, f, what, "retrying with backoff; or set"); // the SDK retries the clean-up
      throw f;
    } finally {
      reporter.applied(resource, results);
    }
    return DeleteControl.defaultDelete();
  }

  /** Says why the deletion waits and how to release it. */
  private void waits(S3Integration resource, StepFailure f, String what, String remedy) {
    events.warning(
        resource,
        f.reason,
        "cannot clean up "
            + what
            + ": "
            + f.getMessage()
            + "; "
            + remedy
            + " s3.integrations.dev/skip-cleanup: \"true\" to leave the storage as it is");
  }

  private static String describe(List<Action> actions) {
    List<String> parts = new ArrayList<>();
    for (Action a : actions) {
      if (a instanceof Action.DeleteUser u) {
        parts.add("MinIO user " + u.user());
      } else if (a instanceof Action.DeletePolicy p) {
        parts.add("policy " + p.name());
      }
    }
    return String.join(" and ", parts);
  }
}
