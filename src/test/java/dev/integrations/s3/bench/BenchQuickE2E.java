package dev.integrations.s3.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/bench --quick} inside the test command, so the benchmark cannot rot: every phase
 * runs (floor, mc, the operator in its own JVM, steady state, fan-out, validate-only, start-up) and
 * the final line and JSON carry every figure. It asserts the shape, not the speed: the numbers are
 * printed for people, and speed targets live in the full run (README, Performance).
 */
class BenchQuickE2E {
  static final String LINE =
      "bench: n=20 ratio_to_floor=[0-9.]+ ratio_to_mc=[0-9.]+ steady_writes=[0-9]+"
          + " reads_per_integration=[0-9.]+ fanout_100_s=[0-9.]+ rss_mib_10k=[0-9]+"
          + " start_s=[0-9.]+";

  @Test
  void theQuickRunMeasuresEveryPhaseAndPrintsTheLineAndTheJson() throws Exception {
    String line = Benchmark.run(Benchmark.Size.quick());
    System.out.println(line);

    assertThat(line).matches(LINE);
    Path json =
        Path.of(System.getProperty("project.basedir", "."), "target", "bench", "bench-quick.json");
    JsonNode figures = new ObjectMapper().readTree(Files.readString(json));
    for (String key :
        new String[] {
          "floor_s",
          "mc_s",
          "operator_s",
          "ratio_to_floor",
          "ratio_to_mc",
          "steady_writes",
          "reads_per_integration",
          "fanout_s",
          "start_s",
          "validate_only_ready_s"
        }) {
      assertThat(figures.get(key)).as(key).isNotNull();
      assertThat(figures.get(key).isNumber()).as(key + " is a number").isTrue();
    }
    assertThat(figures.get("after_ready_validate_only").get("rss_mib").asLong()).isPositive();
    // two shards ran, each to the end of its first pass over its half
    for (String shard : new String[] {"shard_a", "shard_b"}) {
      assertThat(figures.get(shard).get("rss_mib_before_gc").asLong()).as(shard).isPositive();
      assertThat(figures.get("shards").get(shard + "_start_s").isNumber()).as(shard).isTrue();
    }
    assertThat(figures.get("operator_errors").asLong())
        .as(
            "ERROR lines in the operator's logs; the first: %s",
            figures.get("first_operator_error"))
        .isZero();
    assertThat(figures.get("steady").get("window_s").asLong()).isEqualTo(20);
  }
}
