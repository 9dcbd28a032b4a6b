package dev.integrations.s3.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
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
  }

  @ParameterizedTest
  @MethodSource("invalidNames")
  void rejectsInvalidNamesWithPreciseMessage(String name, String message) {
    assertThat(BucketNames.problem(name)).contains(message);
  }

  @Test
  void rejectsNull() {
    assertThat(BucketNames.problem(null)).contains("bucket name must be set");
  }

  /**
   * The CRD's pattern (Go RE2: no look-around) covers length, characters and the first and last
   * character; the CEL rules beside it cover the rest (CrdValidationIT runs those on the API
   * server). Both together must say what {@link BucketNames#problem} says.
   */
  @Test
  void crdPatternAgreesWithProblemOnTheRulesItCovers() {
    assertThat(ApiGroup.BUCKET_NAME_PATTERN).doesNotContain("(?=", "(?!", "(?<");
    Pattern pattern = Pattern.compile(ApiGroup.BUCKET_NAME_PATTERN);
    List<String> names = allExamples();
    assertThat(names).hasSizeGreaterThan(40);
    for (String name : names) {
      String problem = BucketNames.problem(name).orElse("");
      boolean coveredRuleBroken =
          problem.contains(" characters long")
              || problem.endsWith(" must not be empty")
              || problem.endsWith(CHARSET)
              || problem.contains(" must start with a lower-case letter or digit")
              || problem.contains(" must end with a lower-case letter or digit");
      assertThat(pattern.matcher(name).matches())
          .as("BUCKET_NAME_PATTERN on %s", name)
          .isEqualTo(!coveredRuleBroken);
    }
  }

  /** The CEL rules name every reserved prefix and suffix that {@link BucketNames} knows. */
  @Test
  void celRulesNameEveryReservedPrefixAndSuffix() {
    for (String reserved :
        List.of("xn--", "sthree-", "amzn-s3-demo-", "-s3alias", "--ol-s3", ".mrap", "--x-s3")) {
      assertThat(ApiGroup.BUCKET_RESERVED_RULE).contains("'" + reserved + "'");
      assertThat(
              BucketNames.problem("abc" + reserved + "abc").orElse("")
                  + BucketNames.problem(reserved + "abc").orElse("")
                  + BucketNames.problem("abc" + reserved).orElse(""))
          .contains(reserved);
    }
    assertThat(ApiGroup.BUCKET_RESERVED_RULE).contains("'--table-s3'");
  }

  private static List<String> allExamples() {
    List<String> names = new ArrayList<>(validNames().toList());
    invalidNames().map(a -> (String) a.get()[0]).forEach(names::add);
    return names;
  }
}
