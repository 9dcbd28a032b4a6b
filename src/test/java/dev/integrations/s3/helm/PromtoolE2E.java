package dev.integrations.s3.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.integrations.s3.testing.InstallScript;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's alerting rules (files/prometheus-rules.yaml, the very file its PrometheusRule
 * includes) checked by the real promtool, built from the Prometheus module by {@code
 * scripts/install-promtool}: {@code promtool check rules}, and {@code promtool test rules} with
 * src/test/resources/prometheus/rules-test.yaml, which fires and silences every alert.
 */
class PromtoolE2E {
  static final Path ROOT = InstallScript.root();
  static final Path RULES =
      ROOT.resolve("helm/s3-integration-operator/files/prometheus-rules.yaml");
  static final Path TESTS = ROOT.resolve("src/test/resources/prometheus/rules-test.yaml");

  static Path promtool;

  @BeforeAll
  static void install() {
    promtool =
        InstallScript.run(
            "install-promtool",
            Duration.ofMinutes(45),
            "the alerting rules' checks",
            "\nSet PROMTOOL_BIN to an existing promtool to skip the build.");
  }

  record Result(int exit, String output) {}

  static Result promtool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(promtool.toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("promtool", ".out");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(ROOT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("promtool %s finished", command).isTrue();
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  static Set<String> alerts() throws Exception {
    Set<String> names = new TreeSet<>();
    Serialization.yamlMapper()
        .readTree(Files.readString(RULES))
        .findValues("alert")
        .forEach(a -> names.add(a.asText()));
    return names;
  }

  @Test
  void rulesPassPromtoolCheck() throws Exception {
    Result check = promtool("check", "rules", RULES.toString());
    assertThat(check.exit()).as("promtool check rules:\n%s", check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: " + alerts().size() + " rules found");
  }

  @Test
  void everyAlertFiresWhenItShouldAndStaysSilentWhenHealthy() throws Exception {
    Set<String> fires = new TreeSet<>();
    Set<String> silent = new TreeSet<>();
    for (JsonNode test :
        Serialization.yamlMapper().readTree(Files.readString(TESTS)).get("tests")) {
      for (JsonNode t : test.path("alert_rule_test")) {
        (t.path("exp_alerts").isEmpty() ? silent : fires).add(t.get("alertname").asText());
      }
    }
    assertThat(alerts()).hasSizeGreaterThanOrEqualTo(4);
    assertThat(fires).as("alerts with a test that fires them").isEqualTo(alerts());
    assertThat(silent).as("alerts with a test that they stay silent").isEqualTo(alerts());

    Result test = promtool("test", "rules", TESTS.toString());
    assertThat(test.exit()).as("promtool test rules:\n%s", test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  @Test
  void aWrongExpectationFailsTheUnitTest() throws Exception {
    // The harness can fail: the same tests, expecting the not-Ready alert one minute too early.
    Path wrong = ROOT.resolve("target/prometheus/rules-test-wrong.yaml");
    Files.createDirectories(wrong.getParent());
    String tests =
        Files.readString(TESTS)
            .replace(
                "- eval_time: 14m\n        alertname: S3IntegrationNotReady\n        exp_alerts: []",
                "- eval_time: 14m\n        alertname: S3IntegrationNotReady\n        exp_alerts: [{exp_labels: {severity: warning, namespace: team-a, name: viz}}]");
    assertThat(tests).isNotEqualTo(Files.readString(TESTS));
    Files.writeString(wrong, tests.replace("../../../../helm/", ROOT.resolve("helm") + "/"));
    Result test = promtool("test", "rules", wrong.toString());
    assertThat(test.exit()).as("promtool test rules:\n%s", test.output()).isNotZero();
    assertThat(test.output()).contains("S3IntegrationNotReady");
  }
}
