package dev.integrations.s3.controller.common;

import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says when a resource's Ready changes (status, reason or message): one log line and one Event,
 * Normal when it becomes True and Warning otherwise. Quiet when nothing changed. For every kind.
 */
public final class Announcer {
  private static final Logger LOG = LoggerFactory.getLogger(Announcer.class);

  private final Events events;

  public Announcer(Events events) {
    this.events = events;
  }

  public void announce(HasMetadata resource, List<Condition> before, List<Condition> after) {
    Optional<Condition> was = Conditions.find(before, ConditionTypes.READY);
    Condition now = Conditions.find(after, ConditionTypes.READY).orElse(null);
    if (now == null
        || was.isPresent()
            && Objects.equals(was.get().getStatus(), now.getStatus())
            && Objects.equals(was.get().getReason(), now.getReason())
            && Objects.equals(was.get().getMessage(), now.getMessage())) {
      return;
    }
    String ns = resource.getMetadata().getNamespace();
    LOG.info(
        "{} {}: Ready={} ({}) {}",
        resource.getKind(),
        (ns == null ? "" : ns + "/") + resource.getMetadata().getName(),
        now.getStatus(),
        now.getReason(),
        now.getMessage());
    if (Conditions.TRUE.equals(now.getStatus())) {
      events.normal(resource, now.getReason(), now.getMessage());
    } else {
      events.warning(resource, now.getReason(), now.getMessage());
    }
  }
}
