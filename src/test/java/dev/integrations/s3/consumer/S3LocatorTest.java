package dev.integrations.s3.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3LocatorTest {

  @Test
  void parsesBucketAndKey() {
    S3Locator l = S3Locator.parse("s3://media-01/images/cat.png");
    assertThat(l.bucket()).isEqualTo("media-01");
    assertThat(l.key()).isEqualTo("images/cat.png");
    assertThat(l).hasToString("s3://media-01/images/cat.png");
  }

  @Test
  void keepsTheKeyVerbatim() {
    String key = "reports/2024 Q1/Überblick – ñ %20 ?x=1#frag/";
    S3Locator l = S3Locator.parse("s3://my.bucket-1/" + key);
    assertThat(l.bucket()).isEqualTo("my.bucket-1");
    assertThat(l.key()).isEqualTo(key);
    assertThat(S3Locator.parse("s3://abc//leading"))
        .extracting(S3Locator::key)
        .isEqualTo("/leading");
    assertThat(S3Locator.parse("s3://abc/ ")).extracting(S3Locator::key).isEqualTo(" ");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "s3://bucket | names no object key",
        "s3://bucket/ | names no object key",
        "s3:///key | names no bucket",
        "http://bucket/key | must start with s3://",
        "https://bucket.s3.amazonaws.com/key | must start with s3://",
        "S3://bucket/key | must start with s3://",
        "s3:/bucket/key | must start with s3://",
        "bucket/key | must start with s3://",
        "s3://Bad_Bucket/key | not a valid S3 bucket name",
        "s3://ab/key | not a valid S3 bucket name",
        "s3://-bucket/key | not a valid S3 bucket name",
        "s3://bucket-/key | not a valid S3 bucket name",
        "s3://buck..et/key | not a valid S3 bucket name",
        "s3://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/key | not a valid"
      })
  void rejectsMalformedLocatorsNamingThem(String locator, String why) {
    assertThatThrownBy(() -> S3Locator.parse(locator))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + locator + "\"")
        .hasMessageContaining(why);
  }

  @Test
  void rejectsEmptyAndNull() {
    assertThatThrownBy(() -> S3Locator.parse(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must start with s3://");
    assertThatThrownBy(() -> S3Locator.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing");
  }

  @Test
  void bucketNameBoundaries() {
    assertThat(S3Locator.isValidBucketName("abc")).isTrue();
    assertThat(S3Locator.isValidBucketName("a".repeat(63))).isTrue();
    assertThat(S3Locator.isValidBucketName("a".repeat(64))).isFalse();
    assertThat(S3Locator.isValidBucketName("ab")).isFalse();
    assertThat(S3Locator.isValidBucketName("ABC")).isFalse();
    assertThatThrownBy(() -> new S3Locator("abc", "")).isInstanceOf(IllegalArgumentException.class);
  }
}
