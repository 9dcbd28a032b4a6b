package dev.integrations.s3.controller.integration.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.status.Reasons;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SecretFightsTest {
  Instant now = Instant.parse("2026-11-30T10:00:00Z");
  final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  final SecretFights fights = new SecretFights(clock);
  final S3Integration viz = integration("uid-1");

  static S3Integration integration(String uid) {
    S3Integration i = new S3Integration();
    i.setMetadata(new ObjectMetaBuilder().withName("viz").withNamespace("ns").withUid(uid).build());
    return i;
  }

  static Secret version(String rv) {
    return new SecretBuilder().withNewMetadata().withResourceVersion(rv).endMetadata().build();
  }

  /** Someone else changes the Secret; the operator restores it. */
  private void foreignChangeRestored(int n) {
    fights.beforeWrite(viz, "viz-s3", version("foreign-" + n));
    fights.written(viz, "viz-s3", version("ours-" + n));
  }

  @Test
  void writesForChangesOfTheIntegrationAreNeverCounted() {
    fights.written(viz, "viz-s3", version("1"));
    for (int n = 2; n < 50; n++) {
      fights.beforeWrite(viz, "viz-s3", version(String.valueOf(n - 1))); // as we left it
      fights.written(viz, "viz-s3", version(String.valueOf(n)));
    }
    assertThat(fights.retryIn(viz)).isNull();
  }

  @Test
  void theSixthRestoreWithinTheWindowIsRefusedUntilTheWindowPassed() {
    fights.written(viz, "viz-s3", version("0"));
    for (int n = 1; n <= SecretFights.LIMIT; n++) {
      foreignChangeRestored(n);
      now = now.plusSeconds(10);
    }

    StepFailure refused =
        catchThrowableOfType(
            () -> fights.beforeWrite(viz, "viz-s3", version("foreign-x")), StepFailure.class);
    assertThat(refused.reason).isEqualTo(Reasons.SECRET_CONTESTED);
    assertThat(refused.retry).isFalse();
    // the first restore was 50 s ago: it leaves the window in 9 min 10 s (+1 s)
    assertThat(fights.retryIn(viz)).isEqualTo(Duration.ofMinutes(9).plusSeconds(11));

    now = now.plus(Duration.ofMinutes(9).plusSeconds(11));
    assertThatCode(() -> fights.beforeWrite(viz, "viz-s3", version("foreign-x")))
        .doesNotThrowAnyException();
  }

  @Test
  void aDeletedSecretCountsAsAForeignChangeButAFirstWriteDoesNot() {
    fights.beforeWrite(viz, "viz-s3", null); // never written: nothing to fight over
    fights.written(viz, "viz-s3", version("0"));
    for (int n = 1; n <= SecretFights.LIMIT; n++) {
      fights.beforeWrite(viz, "viz-s3", null);
      fights.written(viz, "viz-s3", version("ours-" + n));
    }
    assertThat(
            catchThrowableOfType(() -> fights.beforeWrite(viz, "viz-s3", null), StepFailure.class))
        .isNotNull();
  }

  @Test
  void anotherSecretNameOrIntegrationStartsAfreshAndForgetEndsIt() {
    fights.written(viz, "viz-s3", version("0"));
    for (int n = 1; n <= SecretFights.LIMIT; n++) {
      foreignChangeRestored(n);
    }
    S3Integration other = integration("uid-2");
    fights.written(other, "viz-s3", version("0"));
    assertThatCode(() -> fights.beforeWrite(other, "viz-s3", version("foreign")))
        .doesNotThrowAnyException();
    assertThatCode(() -> fights.beforeWrite(viz, "renamed", version("foreign")))
        .doesNotThrowAnyException();

    fights.forget(viz);
    assertThat(fights.retryIn(viz)).isNull();
  }
}
