package dev.integrations.s3.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;

class OwnershipRecordSecretTest {
  static final OwnershipRecord RECORD =
      new OwnershipRecord(
          "uid-1",
          "team-a",
          "viz",
          "ClusterS3Store/minio",
          "k8s.team-a.viz",
          "s3i-k8s.team-a.viz",
          "secret-key-0123456789");

  @Test
  void aRecordRoundTripsThroughItsSecret() {
    Secret s = OwnershipRecordSecret.toSecret(RECORD, "s3-operator");
    assertThat(s.getMetadata().getNamespace()).isEqualTo("s3-operator");
    assertThat(s.getMetadata().getName())
        .isEqualTo(OwnershipRecordSecret.name(RECORD.store(), RECORD.user()))
        .startsWith("s3i-user-")
        .hasSize(33);
    assertThat(s.getMetadata().getLabels()).containsEntry(OwnershipRecordSecret.LABEL, "user");
    assertThat(OwnershipRecordSecret.fromSecret(s)).contains(RECORD);
  }

  @Test
  void aRotatedRecordRoundTripsWithBothKeysAndItsTimes() {
    java.time.Instant now = java.time.Instant.parse("2026-11-30T10:00:00Z");
    OwnershipRecord rotated =
        RECORD.rotated(
            "S3IABCDEFGHIJKLMNOPQ", "sa-secret-0123456789", now, now.plusSeconds(3600), "t1");
    Secret s = OwnershipRecordSecret.toSecret(rotated, "s3-operator");

    assertThat(OwnershipRecordSecret.fromSecret(s)).contains(rotated);
    assertThat(
            OwnershipRecordSecret.fromSecret(
                OwnershipRecordSecret.toSecret(rotated.withoutPrevious(), "ns")))
        .contains(rotated.withoutPrevious());
    assertThat(s.getMetadata().getAnnotations())
        .containsEntry(OwnershipRecordSecret.KEY_ID_ANNOTATION, "S3IABCDEFGHIJKLMNOPQ")
        .containsEntry(OwnershipRecordSecret.PREVIOUS_KEY_ANNOTATION, RECORD.user())
        .doesNotContainValue("sa-secret-0123456789");
    assertThat(rotated.toString())
        .doesNotContain("sa-secret-0123456789")
        .doesNotContain(RECORD.secretKey());
    assertThat(rotated.consumerKeyId()).isEqualTo("S3IABCDEFGHIJKLMNOPQ");
    assertThat(rotated.consumerSecret()).isEqualTo("sa-secret-0123456789");
    assertThat(RECORD.consumerKeyId()).isEqualTo(RECORD.user());
  }

  @Test
  void halfARotationIsNotARecord() {
    java.time.Instant now = java.time.Instant.parse("2026-11-30T10:00:00Z");
    Secret s =
        OwnershipRecordSecret.toSecret(
            RECORD.rotated("S3IABCDEFGHIJKLMNOPQ", "sa-secret", now, now, null), "ns");
    s.getData().remove("keySecret");
    assertThat(OwnershipRecordSecret.fromSecret(s)).isEmpty();
  }

  @Test
  void namesDifferByStoreAndUser() {
    assertThat(OwnershipRecordSecret.name("ClusterS3Store/a", "u"))
        .isNotEqualTo(OwnershipRecordSecret.name("ClusterS3Store/b", "u"))
        .isNotEqualTo(OwnershipRecordSecret.name("ClusterS3Store/a", "v"))
        .isEqualTo(OwnershipRecordSecret.name("ClusterS3Store/a", "u"));
  }

  @Test
  void aSecretThatIsNotAWholeRecordIsNone() {
    assertThat(OwnershipRecordSecret.fromSecret(null)).isEmpty();
    assertThat(
            OwnershipRecordSecret.fromSecret(
                new SecretBuilder().withNewMetadata().endMetadata().build()))
        .isEmpty();
    Secret noKey = OwnershipRecordSecret.toSecret(RECORD, "ns");
    noKey.getData().remove("secretKey");
    assertThat(OwnershipRecordSecret.fromSecret(noKey)).isEmpty();
  }

  @Test
  void theKeyNeverShowsInToString() {
    assertThat(RECORD.toString()).doesNotContain(RECORD.secretKey()).contains("<redacted>");
  }
}
