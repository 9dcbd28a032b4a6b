package dev.integrations.s3.controller.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.RotationStatus;
import dev.integrations.s3.controller.integration.plan.RotationPolicy;
import dev.integrations.s3.ownership.OwnershipRecord;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A rotation requested while an overlap runs waits; status says until when (issue 21, item 17), and
 * says nothing once the request is served or when none waits.
 */
class RotationStatusTest {
  static final Instant ISSUED = Instant.parse("2026-12-01T10:00:00Z");
  static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
  static final Instant UNTIL = NOW.plus(Duration.ofHours(1));

  static final OwnershipRecord FIRST =
      new OwnershipRecord(
              "uid", "team-a", "viz", "ClusterS3Store/minio", "k8s.team-a.viz", "p", "k")
          .withRotateToken("r1");

  /** Rotated for the request "r2": the previous key overlaps until UNTIL. */
  static final OwnershipRecord OVERLAPPING = FIRST.rotated("SA1", "s1", NOW, UNTIL, "r2");

  static RotationPolicy requested(String token) {
    return new RotationPolicy(null, Duration.ofHours(1), token);
  }

  @Test
  void aRequestDuringTheOverlapWaitsUntilItEnds() {
    RotationStatus s = IntegrationStatus.rotation(requested("r3"), OVERLAPPING);
    assertThat(s.getPreviousValidUntil()).isEqualTo("2026-12-04T11:00:00Z");
    assertThat(s.getRequestWaitingUntil()).isEqualTo("2026-12-04T11:00:00Z");
  }

  /** Issue 21, item 15: a request sooner than the store's spacing says until when it waits. */
  @Test
  void aRequestSoonerThanTheStoresSpacingWaitsUntilItHasPassed() {
    OwnershipRecord settled = OVERLAPPING.withoutPrevious(); // SA1, issued NOW
    RotationPolicy spaced =
        new RotationPolicy(null, Duration.ofHours(1), "r3", Duration.ofHours(2));
    assertThat(IntegrationStatus.rotation(spaced, settled).getRequestWaitingUntil())
        .isEqualTo("2026-12-04T12:00:00Z");
    // during an overlap, whichever ends later
    assertThat(IntegrationStatus.rotation(spaced, OVERLAPPING).getRequestWaitingUntil())
        .isEqualTo("2026-12-04T12:00:00Z");
    assertThat(IntegrationStatus.rotation(requested("r3"), settled).getRequestWaitingUntil())
        .as("the default spacing, 10m")
        .isEqualTo("2026-12-04T10:10:00Z");
  }

  @Test
  void theRequestJustServedIsNotWaiting() {
    assertThat(IntegrationStatus.rotation(requested("r2"), OVERLAPPING).getRequestWaitingUntil())
        .isNull();
  }

  @Test
  void withoutAnOverlapNothingWaits() {
    // a new request with no overlap running is acted on in this very reconcile
    assertThat(IntegrationStatus.rotation(requested("r9"), FIRST).getRequestWaitingUntil())
        .isNull();
    assertThat(IntegrationStatus.rotation(requested(null), OVERLAPPING).getRequestWaitingUntil())
        .isNull();
  }
}
