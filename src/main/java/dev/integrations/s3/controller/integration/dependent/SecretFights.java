package dev.integrations.s3.controller.integration.dependent;

import static dev.integrations.s3.status.ConditionTypes.SECRET_READY;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.status.Reasons;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notices a second writer fighting over an output Secret (a mutating webhook, a GitOps tool that
 * self-heals it, a script) and ends the write loop: the operator restores what someone else changed
 * or deleted at most {@link #LIMIT} times in {@link #WINDOW}; past that it stops writing, says
 * SecretContested (one Warning Event, through the condition change) and restores once the window
 * has passed. A write the operator makes because the integration changed is not counted: only
 * writes over a version of the Secret it did not write itself.
 *
 * <p>Kept in memory per integration UID: the resourceVersion of our last write and the times of the
 * last restores, never any Secret content.
 */
public final class SecretFights {
  public static final int LIMIT = 5;
  public static final Duration WINDOW = Duration.ofMinutes(10);

  private final Clock clock;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  private static final class State {
    final String name;
    final String resourceVersion;
    final Deque<Instant> restores;

    State(String name, String resourceVersion, Deque<Instant> restores) {
      this.name = name;
      this.resourceVersion = resourceVersion;
      this.restores = restores;
    }
  }

  public SecretFights(Clock clock) {
    this.clock = clock;
  }

  /**
   * Called before a write is made over {@code actual} (null: the Secret is gone).
   *
   * @throws StepFailure SecretContested when someone else changed it and it was already restored
   *     {@link #LIMIT} times within the window
   */
  void beforeWrite(S3Integration primary, String name, Secret actual) {
    State s = states.get(primary.getMetadata().getUid());
    if (s == null || !s.name.equals(name)) {
      return; // never written by us (under this name): nothing to fight over
    }
    String version = actual == null ? null : actual.getMetadata().getResourceVersion();
    if (actual != null && Objects.equals(version, s.resourceVersion)) {
      return; // the Secret is as we left it: the integration changed, not the Secret
    }
    Instant now = Instant.now(clock);
    synchronized (s.restores) { // shared by the states of one Secret
      while (!s.restores.isEmpty() && !s.restores.peekFirst().plus(WINDOW).isAfter(now)) {
        s.restores.removeFirst();
      }
      if (s.restores.size() >= LIMIT) {
        throw StepFailure.permanent(
            SECRET_READY,
            Reasons.SECRET_CONTESTED,
            "Secret \""
                + name
                + "\" was changed or deleted by someone else and restored "
                + LIMIT
                + " times within "
                + WINDOW.toMinutes()
                + " minutes; the operator stops restoring it for a while so that the two writers"
                + " do not loop. Find the other writer (a GitOps tool that syncs or self-heals this"
                + " Secret, a mutating webhook, a script) and leave the Secret to this operator");
      }
      s.restores.addLast(now);
    }
  }

  /** After a write: the version we left (null when nothing was written). */
  void written(S3Integration primary, String name, Secret written) {
    if (written == null || written.getMetadata() == null) {
      return;
    }
    String uid = primary.getMetadata().getUid();
    String version = written.getMetadata().getResourceVersion();
    states.compute(
        uid,
        (k, old) ->
            new State(
                name,
                version,
                old != null && old.name.equals(name) ? old.restores : new ArrayDeque<>()));
  }

  /** How long until a contested Secret may be restored again (or null when it is not). */
  public Duration retryIn(S3Integration primary) {
    State s = states.get(primary.getMetadata().getUid());
    if (s == null) {
      return null;
    }
    synchronized (s.restores) { // shared by the states of one Secret
      Instant first = s.restores.peekFirst();
      if (first == null || s.restores.size() < LIMIT) {
        return null;
      }
      Duration left = Duration.between(Instant.now(clock), first.plus(WINDOW));
      return left.isNegative() ? Duration.ofSeconds(1) : left.plusSeconds(1);
    }
  }

  /** The integration is gone. */
  public void forget(S3Integration primary) {
    states.remove(primary.getMetadata().getUid());
  }
}
