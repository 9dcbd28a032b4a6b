package dev.integrations.s3.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RouteTest {
  static final String SECRET_KEY = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";

  static Secret secret(String bucket) {
    return Fixtures.secret(
        Fixtures.integration("ns", "viz"),
        "viz-s3",
        Fixtures.config("AKIDEXAMPLE", SECRET_KEY, "http://minio:9000", "path", bucket));
  }

  static Secret with(Secret s, String key, String value) {
    SecretBuilder b = new SecretBuilder(s);
    if (value == null) {
      b.removeFromData(key);
    } else {
      b.addToData(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }
    return b.build();
  }

  @Test
  void toStringRedactsTheSecretKey() {
    Route r = Route.fromSecret(secret("media"));
    assertThat(r.secretAccessKey()).isEqualTo(SECRET_KEY);
    assertThat(r.toString())
        .doesNotContain(SECRET_KEY)
        .contains("secretAccessKey=<redacted>")
        .contains("AKIDEXAMPLE")
        .contains("s3://media/*");
  }

  @Test
  void stringDataIsReadToo() {
    Secret s = secret(null);
    Secret plain =
        new SecretBuilder(s)
            .withData(null)
            .addToStringData(ResolverKeys.ACCESS_KEY_ID, "AK2")
            .addToStringData(ResolverKeys.SECRET_ACCESS_KEY, "SK2")
            .addToStringData(ResolverKeys.ENDPOINT_URL, "https://h")
            .addToStringData(ResolverKeys.REGION, "r")
            .addToStringData(ResolverKeys.S3_ADDRESSING_STYLE, "path")
            .addToStringData(ResolverKeys.S3_LOCATOR_PATTERN, "s3://*")
            .build();
    assertThat(Route.fromSecret(plain).accessKeyId()).isEqualTo("AK2");
  }

  @Test
  void malformedSecretsAreRejectedNamingTheKeyButNoValue() {
    assertInvalid(
        with(secret(null), ResolverKeys.SECRET_ACCESS_KEY, null), "AWS_SECRET_ACCESS_KEY");
    assertInvalid(with(secret(null), ResolverKeys.REGION, ""), "AWS_REGION");
    assertInvalid(
        with(secret(null), ResolverKeys.S3_ADDRESSING_STYLE, "dns"), "S3_ADDRESSING_STYLE");
    assertInvalid(with(secret(null), ResolverKeys.ENDPOINT_URL, "ftp://h"), "AWS_ENDPOINT_URL");
    assertInvalid(
        with(secret(null), ResolverKeys.ENDPOINT_URL, "http://h/path"), "AWS_ENDPOINT_URL");
    assertInvalid(
        with(secret(null), ResolverKeys.S3_LOCATOR_PATTERN, "s3://x/*"), "S3_LOCATOR_PATTERN");
    assertInvalid(
        with(secret("media"), ResolverKeys.S3_LOCATOR_PATTERN, "s3://*"), "S3_LOCATOR_PATTERN");
    assertInvalid(with(secret("media"), ResolverKeys.S3_BUCKET, "Bad_Bucket"), "S3_BUCKET");
    Secret wrongLabel =
        new SecretBuilder(secret("media"))
            .editMetadata()
            .addToLabels(ResolverKeys.SCOPE_LABEL, ResolverKeys.SCOPE_ALL_BUCKETS)
            .endMetadata()
            .build();
    assertInvalid(wrongLabel, ResolverKeys.SCOPE_LABEL);
    Secret notBase64 =
        new SecretBuilder(secret(null)).addToData(ResolverKeys.REGION, "%%%").build();
    assertInvalid(notBase64, "AWS_REGION");
  }

  private static void assertInvalid(Secret s, String mentions) {
    assertThatThrownBy(() -> Route.fromSecret(s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ns/viz-s3")
        .hasMessageContaining(mentions)
        .message()
        .doesNotContain(SECRET_KEY);
  }
}
