package dev.integrations.s3.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyValidatorTest {

  private static final String LIST =
      "s3:GetObject, s3:ListBucket, s3:GetBucketLocation, s3:GetObjectVersion";

  @Test
  void acceptsAValidGrant() {
    ReadGrant grant =
        new ReadGrant(
            List.of(
                BucketGrant.wholeBucket("share-with-kolena"),
                BucketGrant.withPrefixes("data", "reports/", "raw/2024/", "a".repeat(1024)),
                BucketGrant.wholeBucket("share-with-kolena")),
            List.of("s3:GetObject", "s3:GetObject", "s3:GetBucketLocation"));
    assertThat(PolicyValidator.problems(grant)).isEmpty();
    assertThatCode(() -> PolicyDocument.render(grant)).doesNotThrowAnyException();
  }

  @Test
  void nullAndEmptyListsMeanDefaultsOrWholeBucket() {
    ReadGrant grant = new ReadGrant(List.of(new BucketGrant("abc", null)), null);
    assertThat(PolicyValidator.problems(grant)).isEmpty();
    assertThat(grant.actions()).isEmpty();
    assertThat(grant.effectiveActions()).isEqualTo(ReadActions.DEFAULT);
    assertThat(grant.buckets().get(0).isWholeBucket()).isTrue();
  }

  @Test
  void rejectsNullGrant() {
    assertThat(PolicyValidator.problems(null)).containsExactly("read grant must be set");
  }

  @Test
  void requiresAtLeastOneBucket() {
    assertThat(PolicyValidator.problems(new ReadGrant(null, null)))
        .containsExactly("at least one bucket is required");
    assertThat(PolicyValidator.problems(new ReadGrant(List.of(), List.of("s3:GetObject"))))
        .containsExactly("at least one bucket is required");
  }

  @Test
  void allowsAtMostOneHundredBuckets() {
    assertThat(PolicyValidator.problems(grantOf(buckets(100)))).isEmpty();
    assertThat(PolicyValidator.problems(grantOf(buckets(101))))
        .containsExactly("at most 100 buckets are allowed, but 101 are given");
  }

  @Test
  void rejectsNullBucketEntry() {
    List<BucketGrant> buckets = Arrays.asList(BucketGrant.wholeBucket("abc"), null);
    assertThat(PolicyValidator.problems(grantOf(buckets)))
        .containsExactly("buckets[1] must be set");
  }

  static Stream<Arguments> badPrefixes() {
    String tooLong = "p".repeat(1025);
    return Stream.of(
        Arguments.of(
            "",
            "prefix \"\" for bucket \"data\" must not be empty:"
                + " leave out prefixes to grant the whole bucket"),
        Arguments.of(
            "/reports/",
            "prefix \"/reports/\" for bucket \"data\" must not start with \"/\":"
                + " object keys do not begin with a slash"),
        Arguments.of(
            "logs/*",
            "prefix \"logs/*\" for bucket \"data\" must not contain the wildcards \"*\" or \"?\":"
                + " the operator appends \"*\" itself"),
        Arguments.of(
            "a?b/",
            "prefix \"a?b/\" for bucket \"data\" must not contain the wildcards \"*\" or \"?\":"
                + " the operator appends \"*\" itself"),
        Arguments.of(
            "home/${aws:username}/",
            "prefix \"home/${aws:username}/\" for bucket \"data\" must not contain \"${\":"
                + " the storage server would read it as a policy variable"),
        Arguments.of(
            tooLong,
            "prefix \""
                + "p".repeat(100)
                + "\"... for bucket \"data\" must be at most 1024 characters long, but is 1025"));
  }

  @ParameterizedTest
  @MethodSource("badPrefixes")
  void rejectsBadPrefixesNamingTheValue(String prefix, String message) {
    assertThat(PolicyValidator.prefixProblem("data", prefix)).contains(message);
    ReadGrant grant = grantOf(List.of(BucketGrant.withPrefixes("data", "ok/", prefix)));
    assertThat(PolicyValidator.problems(grant)).containsExactly(message);
  }

  @Test
  void rejectsNullPrefix() {
    ReadGrant grant = grantOf(List.of(BucketGrant.withPrefixes("data", (String) null)));
    assertThat(PolicyValidator.problems(grant))
        .containsExactly("prefix for bucket \"data\" must be set");
  }

  @Test
  void countsPrefixLengthInCharactersNotUtf16Units() {
    String emojis = "\uD83D\uDE00".repeat(1024); // 1024 characters, 2048 UTF-16 units
    assertThat(PolicyValidator.prefixProblem("data", emojis)).isEmpty();
    assertThat(PolicyValidator.prefixProblem("data", emojis + "x")).isPresent();
  }

  @Test
  void reportsEveryProblemInInputOrderWithoutRepeats() {
    ReadGrant grant =
        new ReadGrant(
            List.of(
                BucketGrant.withPrefixes("Bad_Bucket", "/abs"),
                BucketGrant.wholeBucket("ok-bucket"),
                BucketGrant.withPrefixes("xn--punycode", "fine/", "wild*")),
            Arrays.asList("s3:GetObject", "s3:PutObject", "s3:*", "s3:PutObject", null));
    List<String> problems = PolicyValidator.problems(grant);
    assertThat(problems)
        .containsExactly(
            "bucket name \"Bad_Bucket\" must contain only lower-case letters, digits, dots and"
                + " hyphens",
            "prefix \"/abs\" for bucket \"Bad_Bucket\" must not start with \"/\": object keys do"
                + " not begin with a slash",
            "bucket name \"xn--punycode\" must not start with the reserved prefix \"xn--\"",
            "prefix \"wild*\" for bucket \"xn--punycode\" must not contain the wildcards \"*\" or"
                + " \"?\": the operator appends \"*\" itself",
            "action \"s3:PutObject\" is not allowed: only read actions " + LIST + " are",
            "action \"s3:*\" is not allowed: wildcards are not accepted, only read actions "
                + LIST
                + " are",
            "action must be set: only read actions " + LIST + " are allowed");

    assertThatThrownBy(() -> PolicyDocument.render(grant))
        .isInstanceOfSatisfying(
            InvalidPolicyException.class,
            e -> {
              assertThat(e.problems()).isEqualTo(problems);
              assertThat(e.getMessage())
                  .startsWith("7 problems: bucket name \"Bad_Bucket\" must contain")
                  .contains("; prefix \"/abs\" for bucket");
            });
  }

  @Test
  void singleProblemIsTheWholeMessage() {
    ReadGrant grant = grantOf(List.of(BucketGrant.wholeBucket("ab")));
    assertThatThrownBy(() -> PolicyDocument.render(grant))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("bucket name \"ab\" must be between 3 and 63 characters long, but is 2");
  }

  @Test
  void recordsCopyTheirLists() {
    List<String> prefixes = new ArrayList<>(List.of("a/"));
    BucketGrant bucket = new BucketGrant("abc", prefixes);
    prefixes.add("b/");
    assertThat(bucket.prefixes()).containsExactly("a/");
    assertThatThrownBy(() -> bucket.prefixes().add("c/"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private static ReadGrant grantOf(List<BucketGrant> buckets) {
    return new ReadGrant(buckets, List.of());
  }

  private static List<BucketGrant> buckets(int count) {
    return IntStream.range(0, count).mapToObj(i -> BucketGrant.wholeBucket("bucket-" + i)).toList();
  }
}
