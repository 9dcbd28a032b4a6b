package dev.integrations.s3.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.BucketStatus;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusesTest {
  static S3IntegrationStatus status() {
    S3IntegrationStatus s = new S3IntegrationStatus();
    s.setObservedGeneration(2L);
    s.setUserName("team-a.viz");
    s.setBuckets(
        List.of(
            new BucketStatus(
                "media", BucketStatus.Result.Allowed, BucketStatus.Result.Allowed, null)));
    return s;
  }

  @Test
  void aCopyIsEqualAndIndependent() {
    S3IntegrationStatus a = status();
    S3IntegrationStatus b = Statuses.copy(a, S3IntegrationStatus.class);
    assertThat(Statuses.same(a, b)).isTrue();
    b.getBuckets().get(0).setGet(BucketStatus.Result.Denied);
    assertThat(Statuses.same(a, b)).isFalse();
    assertThat(a.getBuckets().get(0).getGet()).isEqualTo(BucketStatus.Result.Allowed);
  }

  @Test
  void everyFieldCounts() {
    S3IntegrationStatus b = status();
    b.setLastVerifiedTime("2026-11-30T10:00:00Z");
    assertThat(Statuses.same(status(), b)).isFalse();
    S3IntegrationStatus c = status();
    c.setEndpointURL("http://x");
    assertThat(Statuses.same(status(), c)).isFalse();
  }

  @Test
  void nullCopiesToAnEmptyStatus() {
    assertThat(Statuses.copy(null, S3IntegrationStatus.class).getConditions()).isEmpty();
  }
}
