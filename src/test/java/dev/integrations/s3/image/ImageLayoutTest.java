package dev.integrations.s3.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The two ways to build the image agree: scripts/image builds from scripts/image.layout, and the
 * Dockerfile (for users' CI) must declare the same base packages, paths, user, port, environment
 * and entrypoint; the chart runs that user and port. A change to one without the others fails here.
 */
public class ImageLayoutTest {
  private static final Path ROOT = Path.of(System.getProperty("project.basedir", "."));

  /** scripts/image.layout: KEY=VALUE lines, the value taken as it is. */
  public static Map<String, String> layout() throws IOException {
    Map<String, String> result = new LinkedHashMap<>();
    for (String line : Files.readAllLines(ROOT.resolve("scripts/image.layout"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      assertThat(eq).as("not KEY=VALUE: %s", line).isPositive();
      result.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return result;
  }

  /** The Dockerfile's instructions of its last (runtime) stage, continuation lines joined. */
  static List<String> runtimeStage() throws IOException {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(ROOT.resolve("Dockerfile"))) {
      String t = line.strip();
      if (current.isEmpty() && (t.isEmpty() || t.startsWith("#"))) {
        continue;
      }
      if (t.endsWith("\\")) {
        current.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      current.append(t);
      instructions.add(current.toString());
      current.setLength(0);
    }
    int lastFrom = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).startsWith("FROM ")) {
        lastFrom = i;
      }
    }
    return instructions.subList(lastFrom, instructions.size());
  }

  private static List<String> args(List<String> stage, String instruction) {
    return stage.stream()
        .filter(i -> i.startsWith(instruction + " "))
        .map(i -> i.substring(instruction.length() + 1).strip())
        .toList();
  }

  @Test
  void dockerfileDeclaresTheLayoutScriptsImageBuilds() throws IOException {
    Map<String, String> l = layout();
    List<String> stage = runtimeStage();

    assertThat(args(stage, "FROM")).containsExactly("debian:" + l.get("DEBIAN_SUITE") + "-slim");
    String run = String.join(" ", args(stage, "RUN"));
    assertThat(run)
        .contains("apt-get install -y --no-install-recommends " + l.get("JRE_PACKAGE"))
        .contains(passwdLine(l))
        .contains(groupLine(l));
    assertThat(args(stage, "USER")).containsExactly(l.get("USER"));
    assertThat(args(stage, "WORKDIR")).containsExactly(l.get("WORKDIR"));
    assertThat(args(stage, "EXPOSE")).containsExactly(l.get("PORT"), l.get("PROBE_PORT"));
    assertThat(args(stage, "ENV"))
        .containsExactly("JAVA_TOOL_OPTIONS=\"" + l.get("JAVA_TOOL_OPTIONS") + "\"");
    assertThat(args(stage, "COPY"))
        .containsExactlyInAnyOrder(
            "--from=build /out/lib/ " + l.get("LIB_DIR") + "/",
            "--from=build /out/app.jar " + l.get("APP_JAR"));
    assertThat(jsonArray(args(stage, "ENTRYPOINT")))
        .containsExactlyElementsOf(Arrays.asList(l.get("ENTRYPOINT").split(" ")));
    // the classpath names the jar and the lib directory the layers put there
    assertThat(l.get("ENTRYPOINT")).contains(l.get("APP_JAR") + ":" + l.get("LIB_DIR") + "/*");
  }

  @Test
  void scriptsImageBuildsFromEveryLayoutKey() throws IOException {
    String script = Files.readString(ROOT.resolve("scripts/image"));
    assertThat(script).contains("scripts/image.layout");
    for (String key : layout().keySet()) {
      assertThat(script).as("scripts/image uses %s", key).contains("L[" + key + "]");
    }
  }

  @Test
  void chartRunsTheImagesUserPortAndJvmOptions() throws IOException {
    Map<String, String> l = layout();
    String[] user = l.get("USER").split(":");
    String values = Files.readString(ROOT.resolve("helm/s3-integration-operator/values.yaml"));
    // both securityContexts (pod and container) run the image's UID and GID
    assertThat(count(values, "runAsUser: " + user[0])).isEqualTo(2);
    assertThat(count(values, "runAsGroup: " + user[1])).isEqualTo(2);
    assertThat(values)
        .contains("readOnlyRootFilesystem: true")
        .contains("httpPort: " + l.get("PORT"))
        .contains("probePort: " + l.get("PROBE_PORT"));
    // the chart's default image is the name scripts/image gives the image, fully qualified
    assertThat(l.get("IMAGE")).startsWith("localhost/");
    assertThat(values).containsPattern("(?m)^  repository: " + l.get("IMAGE") + "$");
    String deployment =
        Files.readString(ROOT.resolve("helm/s3-integration-operator/templates/deployment.yaml"));
    // the chart replaces the image's JAVA_TOOL_OPTIONS: it starts with the same options
    assertThat(deployment).contains(l.get("JAVA_TOOL_OPTIONS") + " %s");
  }

  private static String passwdLine(Map<String, String> l) {
    String[] user = l.get("USER").split(":");
    return l.get("USER_NAME")
        + ":x:"
        + user[0]
        + ":"
        + user[1]
        + ":"
        + l.get("USER_NAME")
        + ":"
        + l.get("USER_HOME")
        + ":/usr/sbin/nologin";
  }

  private static String groupLine(Map<String, String> l) {
    return l.get("USER_NAME") + ":x:" + l.get("USER").split(":")[1] + ":";
  }

  private static List<String> jsonArray(List<String> instruction) {
    assertThat(instruction).hasSize(1);
    String text = instruction.get(0);
    assertThat(text).startsWith("[").endsWith("]");
    List<String> result = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(text);
    while (m.find()) {
      result.add(m.group(1));
    }
    return result;
  }

  private static int count(String text, String needle) {
    return text.split(Pattern.quote(needle), -1).length - 1;
  }
}
