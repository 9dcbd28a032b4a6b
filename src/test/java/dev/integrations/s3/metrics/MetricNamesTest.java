package dev.integrations.s3.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** One naming convention for the operator's own metrics, and README's table lists exactly them. */
class MetricNamesTest {
  private static final Pattern ROW = Pattern.compile("(?m)^\\| `(s3_operator_[a-z_]+)` \\|");

  @Test
  void everyNameFollowsTheConvention() {
    assertThat(MetricNames.ALL)
        .doesNotHaveDuplicates()
        .allSatisfy(n -> assertThat(n).matches("s3\\.operator(\\.[a-z]+)+"));
  }

  @Test
  void readmeListsEveryMetricAndNoOther() throws Exception {
    String readme =
        Files.readString(Path.of(System.getProperty("project.basedir", "."), "README.md"));
    Set<String> documented = new LinkedHashSet<>();
    Matcher m = ROW.matcher(readme);
    while (m.find()) {
      documented.add(m.group(1));
    }
    Set<String> ours = new LinkedHashSet<>();
    for (String name : MetricNames.ALL) {
      String base = MetricNames.prometheus(name);
      String row =
          documented.stream()
              .filter(d -> d.equals(base) || d.matches(Pattern.quote(base) + "_(total|seconds)"))
              .findFirst()
              .orElse(null);
      assertThat(row).as("README's metrics table row for %s", name).isNotNull();
      ours.add(row);
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(ours);
  }
}
