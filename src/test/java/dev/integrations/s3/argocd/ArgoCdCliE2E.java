package dev.integrations.s3.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.integrations.s3.testing.InstallScript;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The health checks and resource actions of argocd/resource_customizations run by Argo CD's own
 * code: the argocd CLI built from its Go module by {@code scripts/install-argocd}, offline ({@code
 * argocd admin settings resource-overrides health | list-actions | run-action}), with the settings
 * users install, docs/argocd/argocd-cm.yaml. Argo CD decodes the objects and runs the scripts in
 * gopher-lua with the libraries it loads for custom checks and actions. Every case of every
 * health_test.yaml and action_test.yaml, compared as Argo CD's own tests compare them.
 */
class ArgoCdCliE2E {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path ROOT = InstallScript.root();
  private static final Path GROUP_DIR =
      ROOT.resolve("argocd/resource_customizations/s3.integrations.dev");
  private static final Path ARGOCD_CM = ROOT.resolve("docs/argocd/argocd-cm.yaml");

  /**
   * What an expected output of action_test.yaml holds where the action writes the current time
   * (Argo CD's own test normalizes force-sync and restartedAt to the same value).
   */
  private static final String NORMALIZED_TIME = "0001-01-01T00:00:00Z";

  private static Path argocd;

  @BeforeAll
  static void install() {
    argocd =
        InstallScript.run(
            "install-argocd",
            Duration.ofMinutes(60),
            "the Argo CD health checks and actions run by Argo CD",
            "\nSet ARGOCD_BIN to an existing argocd binary to skip the build.");
  }

  private record Run(int exit, String stdout, String stderr) {
    /** The message of the CLI's fatal log line (errors.CheckError), or null. */
    String fatal() throws IOException {
      for (String line : stderr.split("\n")) {
        if (line.startsWith("{")) {
          JsonNode log = new ObjectMapper().readTree(line);
          if ("fatal".equals(log.path("level").asText())) {
            return log.path("msg").asText();
          }
        }
      }
      return null;
    }
  }

  private static Run argocd(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(argocd.toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("argocd", ".out");
    Path err = Files.createTempFile("argocd", ".err");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(ROOT.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      assertThat(p.waitFor(1, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
      return new Run(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Run resourceOverrides(Map<String, String> env, String command, String... args)
      throws Exception {
    List<String> all = new ArrayList<>(List.of("admin", "settings", "resource-overrides", command));
    all.addAll(List.of(args));
    all.addAll(List.of("--argocd-cm-path", ARGOCD_CM.toString()));
    return argocd(env, all.toArray(String[]::new));
  }

  private static List<String> kinds() throws IOException {
    try (Stream<Path> dirs = Files.list(GROUP_DIR)) {
      return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
    }
  }

  private static String pinnedVersion() throws IOException {
    for (String line : Files.readAllLines(ROOT.resolve("scripts/versions.env"))) {
      if (line.startsWith("ARGOCD_VERSION=")) {
        return line.substring("ARGOCD_VERSION=".length()).trim();
      }
    }
    throw new IllegalStateException("no ARGOCD_VERSION in scripts/versions.env");
  }

  @Test
  void theCliIsThePinnedRelease() throws Exception {
    Run version = argocd(Map.of(), "version", "--client", "--short");
    assertThat(version.exit()).as(version.stderr()).isZero();
    assertThat(version.stdout()).startsWith("argocd: " + pinnedVersion() + "+");
  }

  /**
   * Every case of every kind's health_test.yaml: {@code STATUS} and {@code MESSAGE} equal to the
   * case's {@code healthStatus}, as Argo CD's TestLuaHealthScript compares them (an absent message
   * is the empty one).
   */
  @TestFactory
  Stream<DynamicTest> everyCaseOfEveryHealthTestYaml() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String kind : kinds()) {
      Path dir = GROUP_DIR.resolve(kind);
      for (JsonNode c : YAML.readTree(dir.resolve("health_test.yaml").toFile()).path("tests")) {
        String input = c.path("inputPath").asText();
        String expected =
            "STATUS: "
                + c.at("/healthStatus/status").asText()
                + "\nMESSAGE: "
                + c.at("/healthStatus/message").asText("")
                + "\n";
        tests.add(
            DynamicTest.dynamicTest(
                "health " + kind + "/" + input,
                () -> {
                  Run run = resourceOverrides(Map.of(), "health", dir.resolve(input).toString());
                  assertThat(run.exit()).as(run.stderr()).isZero();
                  assertThat(run.stdout()).isEqualTo(expected);
                }));
      }
    }
    assertThat(tests).hasSizeGreaterThanOrEqualTo(4 * 6);
    return tests.stream();
  }

  /** The kinds with actions, each with its action_test.yaml. */
  private static List<Path> actionDirs() throws IOException {
    List<Path> dirs = new ArrayList<>();
    for (String kind : kinds()) {
      Path actions = GROUP_DIR.resolve(kind).resolve("actions");
      if (Files.isDirectory(actions)) {
        dirs.add(actions);
      }
    }
    return dirs;
  }

  /**
   * Every discovery case: the actions Argo CD lists, with whether each is disabled, are exactly the
   * case's {@code result} (Argo CD's own test asks only that each listed one be in it; the CLI
   * prints names and the disabled flag, not icons or display names).
   */
  @TestFactory
  Stream<DynamicTest> everyDiscoveryCaseOfEveryActionTestYaml() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path dir : actionDirs()) {
      for (JsonNode c :
          YAML.readTree(dir.resolve("action_test.yaml").toFile()).path("discoveryTests")) {
        String input = c.path("inputPath").asText();
        Set<String> expected = new TreeSet<>();
        for (JsonNode a : c.path("result")) {
          expected.add(a.path("name").asText() + " " + a.path("disabled").asBoolean(false));
        }
        tests.add(
            DynamicTest.dynamicTest(
                "list-actions " + dir.getParent().getFileName() + "/actions/" + input,
                () -> {
                  Run run =
                      resourceOverrides(Map.of(), "list-actions", dir.resolve(input).toString());
                  assertThat(run.exit()).as(run.stderr()).isZero();
                  List<String> lines = run.stdout().lines().toList();
                  assertThat(lines.get(0).split("\\s+")).containsExactly("NAME", "DISABLED");
                  Set<String> listed =
                      lines.stream()
                          .skip(1)
                          .map(l -> String.join(" ", l.trim().split("\\s+")))
                          .collect(Collectors.toCollection(TreeSet::new));
                  assertThat(listed).isEqualTo(expected);
                }));
      }
    }
    assertThat(tests).isNotEmpty();
    return tests.stream();
  }

  /**
   * Every action case: the object Argo CD would patch the resource to (taken from the CLI through
   * {@code KUBECTL_EXTERNAL_DIFF}, which it runs with the live and the changed object's files)
   * equals {@code expectedOutputPath}, where a value {@value #NORMALIZED_TIME} stands for the time
   * of the run (checked to be it, to the second, in UTC); or the CLI fails with exactly {@code
   * expectedErrorMessage}.
   */
  @TestFactory
  Stream<DynamicTest> everyActionCaseOfEveryActionTestYaml() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path dir : actionDirs()) {
      for (JsonNode c :
          YAML.readTree(dir.resolve("action_test.yaml").toFile()).path("actionTests")) {
        String action = c.path("action").asText();
        String input = c.path("inputPath").asText();
        tests.add(
            DynamicTest.dynamicTest(
                "run-action " + action + " " + dir.getParent().getFileName() + "/actions/" + input,
                () -> runAction(dir, action, input, c)));
      }
    }
    assertThat(tests).isNotEmpty();
    return tests.stream();
  }

  private static void runAction(Path dir, String action, String input, JsonNode c)
      throws Exception {
    Path changed = Files.createTempFile("argocd-action", ".yaml");
    try {
      Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Run run =
          resourceOverrides(
              Map.of(
                  "KUBECTL_EXTERNAL_DIFF",
                  "sh -c 'cp \"$2\" \"$ARGOCD_ACTION_OUT\"' diff",
                  "ARGOCD_ACTION_OUT",
                  changed.toString()),
              "run-action",
              dir.resolve(input).toString(),
              action);
      Instant after = Instant.now();
      if (c.hasNonNull("expectedErrorMessage")) {
        assertThat(run.exit()).as("run-action %s fails", action).isNotZero();
        assertThat(run.fatal()).isEqualTo(c.path("expectedErrorMessage").asText());
        return;
      }
      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(run.stdout()).startsWith("Following fields have been changed:");
      JsonNode actual = YAML.readTree(changed.toFile());
      JsonNode expected =
          YAML.readTree(dir.resolve(c.path("expectedOutputPath").asText()).toFile());
      normalizeTimes(expected, actual, before, after, "");
      assertThat(actual).isEqualTo(expected);
    } finally {
      Files.deleteIfExists(changed);
    }
  }

  /**
   * Where the expected object holds {@value #NORMALIZED_TIME}, the actual one must hold the time of
   * the run, in UTC to the second; it is then set to the expected value.
   */
  private static void normalizeTimes(
      JsonNode expected, JsonNode actual, Instant before, Instant after, String path) {
    if (!(expected instanceof ObjectNode e) || !(actual instanceof ObjectNode a)) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = a.get(field.getKey());
      if (value == null) {
        continue;
      }
      if (NORMALIZED_TIME.equals(field.getValue().asText(null))) {
        String time = value.asText();
        assertThat(time)
            .as(path + "/" + field.getKey())
            .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(Instant.parse(time)).as(path + "/" + field.getKey()).isBetween(before, after);
        a.put(field.getKey(), NORMALIZED_TIME);
      } else {
        normalizeTimes(field.getValue(), value, before, after, path + "/" + field.getKey());
      }
    }
  }

  /** Every action the discovery offers has a case, and every file in testdata/ is used. */
  @Test
  void everyActionHasACaseAndEveryTestdataFileIsOne() throws IOException {
    assertThat(actionDirs()).isNotEmpty();
    for (Path dir : actionDirs()) {
      JsonNode test = YAML.readTree(dir.resolve("action_test.yaml").toFile());
      Set<String> used = new HashSet<>();
      Set<String> tested = new TreeSet<>();
      test.path("discoveryTests").forEach(c -> used.add(c.path("inputPath").asText()));
      for (JsonNode c : test.path("actionTests")) {
        used.add(c.path("inputPath").asText());
        if (c.hasNonNull("expectedOutputPath")) {
          used.add(c.path("expectedOutputPath").asText());
        }
        tested.add(c.path("action").asText());
      }
      Set<String> defined = new TreeSet<>();
      try (Stream<Path> actions = Files.list(dir)) {
        actions
            .filter(a -> Files.exists(a.resolve("action.lua")))
            .forEach(a -> defined.add(a.getFileName().toString()));
      }
      assertThat(tested).as("%s: an actionTest per action", dir).isEqualTo(defined);
      try (Stream<Path> data = Files.list(dir.resolve("testdata"))) {
        assertThat(data.map(f -> "testdata/" + f.getFileName()).collect(Collectors.toSet()))
            .as("%s: every file in testdata/ is a case", dir)
            .isEqualTo(used);
      }
    }
  }
}
