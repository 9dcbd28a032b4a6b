package dev.integrations.s3.informers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The output Secret's match without managedFields: as SSA would judge the fields we own. */
class OwnedFieldsTest {
  private static Secret desired() {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("viz-s3")
        .withNamespace("team-a")
        .withLabels(Map.of("app.kubernetes.io/managed-by", "s3-integration-operator"))
        .withAnnotations(
            Map.of(
                "s3.integrations.dev/config-hash", "h1", "s3.integrations.dev/user", "team-a-viz"))
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("s3.integrations.dev/v1alpha1")
                .withKind("S3Integration")
                .withName("viz")
                .withUid("uid-1")
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .endMetadata()
        .withData(Map.of("AWS_ACCESS_KEY_ID", "a2V5", "AWS_REGION", "dXMtZWFzdC0x"))
        .build();
  }

  private static Secret actual(Consumer<Secret> change) {
    Secret s = new SecretBuilder(desired()).build();
    s.getMetadata().setLabels(new java.util.HashMap<>(s.getMetadata().getLabels()));
    s.getMetadata().setAnnotations(new java.util.HashMap<>(s.getMetadata().getAnnotations()));
    s.setData(new java.util.HashMap<>(s.getData()));
    s.getMetadata().setResourceVersion("42");
    change.accept(s);
    return s;
  }

  private static boolean match(Secret actual) {
    Secret d = desired();
    return OwnedFields.match(
        d,
        actual,
        java.util.Collections.singletonList(d.getData()),
        java.util.Collections.singletonList(actual.getData()));
  }

  @Test
  void whatWeApplyMatches() {
    assertThat(match(actual(s -> {}))).isTrue();
  }

  @Test
  void whatOthersAddBesideOursStillMatches() {
    assertThat(
            match(
                actual(
                    s -> {
                      s.getMetadata().getLabels().put("team", "a");
                      s.getMetadata().getAnnotations().put("reloader.stakater.com/match", "true");
                      s.getMetadata().getAnnotations().put("javaoperatorsdk.io/previous", "x");
                      s.getData().put("EXTRA", "eA==");
                    })))
        .isTrue();
  }

  @Test
  void aChangedOrMissingValueOfOursDoesNotMatch() {
    assertThat(match(actual(s -> s.getData().put("AWS_ACCESS_KEY_ID", "b3RoZXI=")))).isFalse();
    assertThat(match(actual(s -> s.getData().remove("AWS_REGION")))).isFalse();
    assertThat(match(actual(s -> s.setData(null)))).isFalse();
    assertThat(match(actual(s -> s.getMetadata().getLabels().clear()))).isFalse();
    assertThat(
            match(
                actual(
                    s ->
                        s.getMetadata()
                            .getAnnotations()
                            .put("s3.integrations.dev/config-hash", "h0"))))
        .as("a data key we stopped applying changes the hash of all the data")
        .isFalse();
  }

  @Test
  void anAnnotationOfOursWeNoLongerApplyDoesNotMatch() {
    assertThat(
            match(
                actual(
                    s ->
                        s.getMetadata()
                            .getAnnotations()
                            .put("s3.integrations.dev/previous-key-id", "old"))))
        .isFalse();
  }

  @Test
  void aMissingOrDifferentOwnerDoesNotMatch() {
    assertThat(match(actual(s -> s.getMetadata().setOwnerReferences(null)))).isFalse();
    assertThat(match(actual(s -> s.getMetadata().getOwnerReferences().get(0).setUid("uid-other"))))
        .isFalse();
  }
}
