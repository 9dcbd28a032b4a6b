package dev.integrations.s3.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.testing.ArgoCdHealth;
import dev.integrations.s3.testing.ArgoCdHealth.Result;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Argo CD health checks of argocd/resource_customizations, run with LuaJ as Argo CD runs them
 * ({@link ArgoCdHealth}): every case of every health_test.yaml, every kind of crds/ covered, and
 * every reason the operator can write classified on purpose. The fast tier, without building
 * anything; {@link ArgoCdCliE2E} runs the same cases (and the actions) through the Argo CD CLI
 * itself, the authority where the two differ (TESTING.md).
 */
class ArgoCdHealthTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path ROOT = Path.of(System.getProperty("project.basedir", "."));

  /**
   * Reasons of Ready=False or Unknown that pass without anyone changing an input: the operator
   * retries them (with backoff, or at the next verification). Argo CD shows them as Progressing.
   */
  static final Set<String> PROGRESSING =
      Set.of(
          Reasons.PENDING, // a step not evaluated yet, or waiting for an earlier one
          Reasons.ENDPOINT_UNREACHABLE, // StorageException.unreachable: transient, backoff
          Reasons.STORAGE_ERROR, // 5xx or an unclassified storage answer: transient
          Reasons.RECONCILE_TIMEOUT, // the reconcile's budget spent: transient
          Reasons.RECONCILE_ERROR, // an unexpected error: updateErrorStatus, retried with backoff
          Reasons.VERIFICATION_FAILED, // bucket probes answered with errors: probed again
          Reasons.PAUSED); // with the annotation gone and status not yet rewritten: resuming

  /**
   * Reasons that stay until someone changes an input (a spec, a Secret, allow rules, the storage's
   * users or policies). Argo CD shows them as Degraded; the script's {@code permanent} table must
   * list exactly these.
   */
  static final Set<String> DEGRADED =
      Set.of(
          Reasons.INVALID_SPEC,
          Reasons.SECRET_NOT_FOUND, // an input Secret (admin keys, own keys, CA) is missing
          Reasons.SECRET_CONFLICT, // the output Secret's name is taken by someone else's
          Reasons.SECRET_CONTESTED, // another writer fights over the output Secret
          Reasons.SECRET_WRITE_FAILED, // the API server refused the write (forbidden, invalid)
          Reasons.USER_CONFLICT,
          Reasons.USER_NAME_OVERLAP, // another store on the endpoint derives the same user
          Reasons.POLICY_CONFLICT,
          Reasons.POLICY_NOT_FOUND,
          Reasons.POLICY_NOT_READY, // a referenced S3AccessPolicy is invalid
          Reasons.POLICY_TOO_LARGE,
          Reasons.POLICY_REJECTED, // StorageException.policyRejected: not transient
          Reasons.SCOPE_CONFLICT, // waits until the earlier integration goes or changes scope
          Reasons.STORE_NOT_FOUND,
          Reasons.STORE_NOT_ALLOWED,
          Reasons.STORE_DELETING, // a new managed integration on a store being deleted
          Reasons.BUCKET_NOT_ALLOWED,
          Reasons.NO_SUCH_BUCKET,
          Reasons.ACCESS_DENIED,
          Reasons.CREDENTIALS_REJECTED, // given keys that no longer work (managed: repaired)
          Reasons.ADMIN_CREDENTIALS_INVALID,
          Reasons.ADMIN_ACCESS_DENIED,
          Reasons.TLS_ERROR, // StorageException.tls: not transient; needs tls.caSecretRef
          Reasons.ENDPOINT_NOT_ALLOWED); // EndpointGuard: the S3Store must name another endpoint

  /** Reasons of Ready=True: Healthy. */
  static final Set<String> HEALTHY =
      Set.of(Reasons.READY, Reasons.VALID, Reasons.REACHABLE, Reasons.ADMIN_READY);

  /** Reasons that never reach the Ready condition, so the health check never sees them. */
  static final Set<String> NEVER_ON_READY =
      Set.of(
          Reasons.USER_READY, // True steps only: Ready carries a failing step's reason
          Reasons.KEYS_PROVIDED,
          Reasons.POLICY_ATTACHED,
          Reasons.NOT_APPLICABLE,
          Reasons.VERIFIED, // AccessVerified and PublicEndpointVerified
          Reasons.SECRET_WRITTEN,
          Reasons.PUBLIC_ENDPOINT_UNREACHABLE, // PublicEndpointVerified only, not part of Ready
          Reasons.PUBLIC_ENDPOINT_REFUSED,
          Reasons.STORE_IN_USE); // a Warning Event while a store's deletion waits

  /** The kinds of crds/: each needs a health check. */
  private static Set<String> kinds() throws IOException {
    Set<String> kinds = new TreeSet<>();
    try (Stream<Path> files = Files.list(ROOT.resolve("crds"))) {
      for (Path crd : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        JsonNode tree = YAML.readTree(crd.toFile());
        assertThat(tree.at("/spec/group").asText()).isEqualTo("s3.integrations.dev");
        kinds.add(tree.at("/spec/names/kind").asText());
      }
    }
    return kinds;
  }

  private record Case(String kind, String input, Result expected) {}

  private static List<Case> cases(String kind) throws IOException {
    Path file = ArgoCdHealth.GROUP_DIR.resolve(kind).resolve("health_test.yaml");
    assertThat(file).as("%s has a health_test.yaml", kind).exists();
    List<Case> cases = new ArrayList<>();
    for (JsonNode test : YAML.readTree(file.toFile()).path("tests")) {
      cases.add(
          new Case(
              kind,
              test.path("inputPath").asText(),
              new Result(
                  test.at("/healthStatus/status").asText(),
                  test.at("/healthStatus/message").asText(""))));
    }
    return cases;
  }

  @Test
  void everyKindHasAHealthCheckWhoseTestsCoverItsInputs() throws IOException {
    Set<String> kinds = kinds();
    assertThat(kinds).hasSize(4);
    try (Stream<Path> dirs = Files.list(ArgoCdHealth.GROUP_DIR)) {
      Set<String> found =
          dirs.map(d -> d.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
      assertThat(found).as("one directory per kind of crds/, nothing else").isEqualTo(kinds);
    }
    for (String kind : kinds) {
      Path dir = ArgoCdHealth.GROUP_DIR.resolve(kind);
      assertThat(dir.resolve("health.lua")).exists();
      List<Case> cases = cases(kind);
      assertThat(cases.stream().map(c -> c.expected().status()))
          .as("%s: a case for each of Healthy, Progressing and Degraded", kind)
          .contains("Healthy", "Progressing", "Degraded");
      Set<String> inputs = new HashSet<>();
      for (Case c : cases) {
        Path input = dir.resolve(c.input());
        assertThat(input).as("%s: %s", kind, c.input()).exists();
        assertThat(YAML.readTree(input.toFile()).path("kind").asText())
            .as("%s is a %s", input, kind)
            .isEqualTo(kind);
        assertThat(inputs.add(c.input())).as("%s: %s tested twice", kind, c.input()).isTrue();
      }
      try (Stream<Path> data = Files.list(dir.resolve("testdata"))) {
        assertThat(data.map(f -> "testdata/" + f.getFileName()).toList())
            .as("%s: every file in testdata/ is a case of health_test.yaml", kind)
            .containsExactlyInAnyOrderElementsOf(inputs);
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCaseOfEveryHealthTestYaml() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String kind : kinds()) {
      for (Case c : cases(kind)) {
        tests.add(
            DynamicTest.dynamicTest(
                kind + "/" + c.input(),
                () -> {
                  Result actual =
                      ArgoCdHealth.ofYaml(ArgoCdHealth.GROUP_DIR.resolve(kind).resolve(c.input()));
                  assertThat(actual).isEqualTo(c.expected());
                }));
      }
    }
    assertThat(tests).isNotEmpty();
    return tests.stream();
  }

  @Test
  void oneScriptForEveryKindUsingOnlyWhatArgoCdLoads() throws IOException {
    String script = ArgoCdHealth.script("S3Integration");
    for (String kind : kinds()) {
      assertThat(ArgoCdHealth.script(kind)).as("%s/health.lua", kind).isEqualTo(script);
    }
    // custom checks run without the string, math, os and io libraries (no useOpenLibs)
    assertThat(script).doesNotContainPattern("\\b(string|math|io|os|utf8)\\s*\\.");
  }

  @Test
  void everyReasonOfTheOperatorIsClassified() throws Exception {
    Set<String> all = new TreeSet<>();
    for (Field f : Reasons.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        all.add((String) f.get(null));
      }
    }
    List<Set<String>> groups = List.of(PROGRESSING, DEGRADED, HEALTHY, NEVER_ON_READY);
    Set<String> classified = new TreeSet<>();
    for (Set<String> g : groups) {
      for (String reason : g) {
        assertThat(classified.add(reason)).as("%s is in two groups", reason).isTrue();
      }
    }
    assertThat(classified)
        .as(
            "every reason of Reasons.java is classified for Argo CD (a new reason must be put in"
                + " PROGRESSING or DEGRADED here, and DEGRADED ones into health.lua's permanent"
                + " table)")
        .isEqualTo(all);

    String script = ArgoCdHealth.script("S3Integration");
    assertThat(permanentTable(script)).as("health.lua's permanent table").isEqualTo(DEGRADED);

    for (String kind : kinds()) {
      for (String reason : DEGRADED) {
        assertThat(ArgoCdHealth.evaluate(script, ready(kind, "False", reason)).status())
            .as("%s Ready=False %s", kind, reason)
            .isEqualTo("Degraded");
      }
      for (String reason : PROGRESSING) {
        for (String status : List.of("False", "Unknown")) {
          assertThat(ArgoCdHealth.evaluate(script, ready(kind, status, reason)))
              .as("%s Ready=%s %s", kind, status, reason)
              .isEqualTo(new Result("Progressing", reason + ": what the operator said"));
        }
      }
      for (String reason : HEALTHY) {
        assertThat(ArgoCdHealth.evaluate(script, ready(kind, "True", reason)))
            .isEqualTo(new Result("Healthy", "what the operator said"));
      }
    }
  }

  @Test
  void onlyAnIntegrationIsSuspendedByThePausedAnnotation() {
    String script = ArgoCdHealth.script("S3Integration");
    for (String kind : List.of("S3Integration", "S3Store", "ClusterS3Store", "S3AccessPolicy")) {
      ObjectNode o = ready(kind, "True", Reasons.READY);
      o.with("metadata").with("annotations").put("s3.integrations.dev/paused", "true");
      assertThat(ArgoCdHealth.evaluate(script, o).status())
          .as(kind)
          .isEqualTo(kind.equals("S3Integration") ? "Suspended" : "Healthy");
    }
  }

  @Test
  void aReadyConditionOfAnEarlierGenerationIsNotHealthy() {
    ObjectNode o = ready("S3Integration", "True", Reasons.READY);
    ((ObjectNode) o.at("/status/conditions/0")).put("observedGeneration", 6);
    assertThat(ArgoCdHealth.evaluate(ArgoCdHealth.script("S3Integration"), o))
        .isEqualTo(new Result("Progressing", "Waiting for the operator to report Ready"));
  }

  /** A resource of generation 7 whose status, of generation 7, has only Ready. */
  private static ObjectNode ready(String kind, String status, String reason) {
    ObjectNode o = YAML.createObjectNode();
    o.put("apiVersion", "s3.integrations.dev/v1alpha1").put("kind", kind);
    o.putObject("metadata").put("name", "x").put("generation", 7);
    ObjectNode s = o.putObject("status").put("observedGeneration", 7);
    s.putArray("conditions")
        .addObject()
        .put("type", "Ready")
        .put("status", status)
        .put("reason", reason)
        .put("message", "what the operator said")
        .put("observedGeneration", 7);
    return o;
  }

  /** The keys of the script's {@code local permanent = { ... }} table. */
  private static Set<String> permanentTable(String script) {
    Matcher block =
        Pattern.compile("local permanent = \\{(.*?)\\n\\}", Pattern.DOTALL).matcher(script);
    assertThat(block.find()).as("health.lua has a permanent table").isTrue();
    Set<String> keys = new TreeSet<>();
    Matcher key = Pattern.compile("(?m)^\\s*(\\w+) = true,\\s*$").matcher(block.group(1));
    while (key.find()) {
      keys.add(key.group(1));
    }
    String rest = block.group(1).replaceAll("(?m)^\\s*(\\w+) = true,\\s*$", "").strip();
    assertThat(rest).as("only `Reason = true,` lines in the permanent table").isEmpty();
    return keys;
  }

  @Test
  void theReadmeTableListsTheReasonsAsTheScriptClassifiesThem() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    String section = readme.substring(readme.indexOf("## Argo CD"));
    section = section.substring(0, section.indexOf("\n## ", 1));
    assertThat(reasonsInRow(section, "Degraded")).isEqualTo(DEGRADED);
    Set<String> progressing = new TreeSet<>(PROGRESSING);
    progressing.remove(Reasons.PAUSED); // only while resuming: the Suspended row covers pausing
    assertThat(reasonsInRow(section, "Progressing")).isEqualTo(progressing);
  }

  private static Set<String> reasonsInRow(String section, String health) {
    Matcher row = Pattern.compile("(?m)^\\| " + health + " \\|(.*)\\|$").matcher(section);
    assertThat(row.find()).as("README's Argo CD table has a %s row", health).isTrue();
    Set<String> reasons = new TreeSet<>();
    Matcher code = Pattern.compile("`([A-Z][A-Za-z]+)`").matcher(row.group(1));
    while (code.find()) {
      reasons.add(code.group(1));
    }
    return reasons;
  }

  @Test
  void theApplicationExampleSyncsAScenarioOfExamples() throws IOException {
    JsonNode app = YAML.readTree(ROOT.resolve("docs/argocd/application.yaml").toFile());
    assertThat(app.path("kind").asText()).isEqualTo("Application");
    assertThat(app.path("apiVersion").asText()).isEqualTo("argoproj.io/v1alpha1");
    String path = app.at("/spec/source/path").asText();
    assertThat(path).startsWith("examples/");
    assertThat(ROOT.resolve(path).resolve("kustomization.yaml")).exists();
  }

  @Test
  void theArgoCdSettingsInDocsAreTheScripts() throws Exception {
    for (String[] variant :
        List.of(
            new String[] {"docs/argocd/argocd-cm.yaml"},
            new String[] {"docs/argocd/argo-cd-values.yaml", "--helm"})) {
      List<String> cmd = new ArrayList<>(List.of("bash", "scripts/argocd-health"));
      for (int i = 1; i < variant.length; i++) {
        cmd.add(variant[i]);
      }
      Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("scripts/argocd-health: %s", err).isZero();
      assertThat(Files.readString(ROOT.resolve(variant[0]), StandardCharsets.UTF_8))
          .as("%s is what scripts/argocd-health prints (run it to refresh the file)", variant[0])
          .isEqualTo(out);
      JsonNode data =
          variant.length == 1
              ? YAML.readTree(out).path("data")
              : YAML.readTree(out).path("configs").path("cm");
      for (String kind : kinds()) {
        assertThat(data.path("resource.customizations.health.s3.integrations.dev_" + kind).asText())
            .as("%s: %s", variant[0], kind)
            .isEqualTo(ArgoCdHealth.script(kind));
      }
    }
  }
}
