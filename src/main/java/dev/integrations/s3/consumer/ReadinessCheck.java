package dev.integrations.s3.consumer;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/** Decides whether a resolved-config Secret may be used. */
@FunctionalInterface
public interface ReadinessCheck {

  /** Every Secret may be used. */
  ReadinessCheck NONE = secret -> Optional.empty();

  /**
   * Why this Secret must not be used now, or empty when it may.
   *
   * @param secret a well-formed resolved-config Secret
   */
  Optional<String> whyNotUsable(Secret secret);
}
