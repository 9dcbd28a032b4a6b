package dev.integrations.s3.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BucketNamesTest {

  private static final String CHARSET =
      " must contain only lower-case letters, digits, dots and hyphens";

  static Stream<String> validNames() {
    return Stream.of(
        "share-with-kolena",
        "a.b.c",
        "abc",
        "a".repeat(63),
        "1bucket",
        "123",
        "0-0",
        "9.8.7",
        "1.2.3.4.5",
        "192.168.5.4a",
        "a.-b",
        "my.bucket-01",
        "xn-abc",
        "axn--b",
        "sthree",
        "sthreex-y",
        "amzn-s3-demo",
        "s3alias",
        "abc-s3aliasx",
        "abc-ol-s3",
        "mrap",
        "abc-mrap",
        "abc-x-s3",
        "abc--table-s3x");
  }

  static Stream<Arguments> invalidNames() {
    String tooLong = "a".repeat(64);
    String veryLong = "b".repeat(200);
    return Stream.of(
        Arguments.of("", "bucket name \"\" must not be empty"),
        Arguments.of("ab", "bucket name \"ab\" must be between 3 and 63 characters long, but is 2"),
        Arguments.of("a", "bucket name \"a\" must be between 3 and 63 characters long, but is 1"),
        Arguments.of(
            tooLong,
            "bucket name \"" + tooLong + "\" must be between 3 and 63 characters long, but is 64"),
        Arguments.of(
            veryLong,
            "bucket name \""
                + "b".repeat(100)
                + "\"... must be between 3 and 63 characters long, but is 200"),
        Arguments.of("My_Bucket", "bucket name \"My_Bucket\"" + CHARSET),
        Arguments.of("my_bucket", "bucket name \"my_bucket\"" + CHARSET),
        Arguments.of("MYBUCKET", "bucket name \"MYBUCKET\"" + CHARSET),
        Arguments.of("my bucket", "bucket name \"my bucket\"" + CHARSET),
        Arguments.of("bücket", "bucket name \"bücket\"" + CHARSET),
        Arguments.of("a\"b", "bucket name \"a\\\"b\"" + CHARSET),
        Arguments.of("ab\n", "bucket name \"ab\\n\"" + CHARSET),
        Arguments.of("-abc", "bucket name \"-abc\" must start with a lower-case letter or digit"),
        Arguments.of(".abc", "bucket name \".abc\" must start with a lower-case letter or digit"),
        Arguments.of("abc-", "bucket name \"abc-\" must end with a lower-case letter or digit"),
        Arguments.of("abc.", "bucket name \"abc.\" must end with a lower-case letter or digit"),
        Arguments.of("a..b", "bucket name \"a..b\" must not contain two adjacent periods"),
        Arguments.of(
            "192.168.5.4", "bucket name \"192.168.5.4\" must not be formatted as an IP address"),
        Arguments.of("10.0.0.1", "bucket name \"10.0.0.1\" must not be formatted as an IP address"),
        Arguments.of(
            "999.1.2.3456", "bucket name \"999.1.2.3456\" must not be formatted as an IP address"),
        Arguments.of(
            "xn--abc", "bucket name \"xn--abc\" must not start with the reserved prefix \"xn--\""),
        Arguments.of(
            "sthree-bucket",
            "bucket name \"sthree-bucket\" must not start with the reserved prefix \"sthree-\""),
        Arguments.of(
            "amzn-s3-demo-bucket",
            "bucket name \"amzn-s3-demo-bucket\" must not start with the reserved prefix"
                + " \"amzn-s3-demo-\""),
        Arguments.of(
            "abc-s3alias",
            "bucket name \"abc-s3alias\" must not end with the reserved suffix \"-s3alias\""),
        Arguments.of(
            "abc--ol-s3",
            "bucket name \"abc--ol-s3\" must not end with the reserved suffix \"--ol-s3\""),
        Arguments.of(
            "abc.mrap", "bucket name \"abc.mrap\" must not end with the reserved suffix \".mrap\""),
        Arguments.of(
            "abc--x-s3",
            "bucket name \"abc--x-s3\" must not end with the reserved suffix \"--x-s3\""),
        Arguments.of(
            "abc--table-s3",
            "bucket name \"abc--table-s3\" must not end with the reserved suffix \"--table-s3\""));
  }

  @ParameterizedTest
  @MethodSource("validNames")
  void acceptsValidNames(String name) {
    assertThat(BucketNames.problem(name)).isEmpty();
    assertThat(BucketNames.isValid(name)).isTrue();
    assertThatCode(() -> BucketNames.requireValid(name)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @MethodSource("invalidNames")
  void rejectsInvalidNamesWithPreciseMessage(String name, String message) {
    assertThat(BucketNames.problem(name)).contains(message);
    assertThat(BucketNames.isValid(name)).isFalse();
    assertThatThrownBy(() -> BucketNames.requireValid(name))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage(message);
  }

  @Test
  void rejectsNull() {
    assertThat(BucketNames.problem(null)).contains("bucket name must be set");
    assertThatThrownBy(() -> BucketNames.requireValid(null))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("bucket name must be set");
  }

  @Test
  void patternAgreesWithProblemOnEveryExample() {
    Pattern pattern = Pattern.compile(BucketNames.PATTERN);
    List<String> names = allExamples();
    assertThat(names).hasSizeGreaterThan(40);
    for (String name : names) {
      assertThat(pattern.matcher(name).matches())
          .as("PATTERN on %s (problem: %s)", name, BucketNames.problem(name))
          .isEqualTo(BucketNames.problem(name).isEmpty());
    }
  }

  @Test
  void crdPatternHasNoLookaroundAndAgreesOnTheRulesItCovers() {
    assertThat(BucketNames.CRD_PATTERN).doesNotContain("(?=", "(?!", "(?<");
    Pattern pattern = Pattern.compile(BucketNames.CRD_PATTERN);
    for (String name : allExamples()) {
      boolean lengthOk = name.length() >= 3 && name.length() <= 63;
      String problem = BucketNames.problem(name).orElse("");
      boolean coveredRuleBroken =
          problem.endsWith(CHARSET)
              || problem.contains(" must start with a lower-case letter or digit")
              || problem.contains(" must end with a lower-case letter or digit")
              || problem.contains(" must not contain two adjacent periods");
      if (lengthOk) {
        assertThat(pattern.matcher(name).matches())
            .as("CRD_PATTERN on %s", name)
            .isEqualTo(!coveredRuleBroken);
      }
    }
  }

  private static List<String> allExamples() {
    List<String> names = new ArrayList<>(validNames().toList());
    invalidNames().map(a -> (String) a.get()[0]).forEach(names::add);
    return names;
  }
}
