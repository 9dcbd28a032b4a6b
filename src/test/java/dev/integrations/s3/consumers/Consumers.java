package dev.integrations.s3.consumers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrations.s3.testing.InstallScript;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real-client consumers of the resolved-config Secret ({@code boto3_consumer.py}, {@code
 * awscli_consumer.sh}, {@link JavaSdkConsumer}, the Go consumer {@code consumers/go/main.go} and
 * the JavaScript one {@code consumers/js/consumer.mjs}) as child processes that get nothing but
 * what a pod with {@code envFrom} would: the given environment, {@code PATH} (to find {@code bash},
 * {@code node} and the JVM's helpers) and an empty {@code HOME}, so no {@code ~/.aws} file or the
 * test JVM's own variables can help them.
 *
 * <p>boto3 and the AWS CLI come from the virtualenv {@code scripts/install-consumers} builds (once,
 * then cached). The Java consumer runs in a fresh JVM on the test classpath (see {@link
 * #classPath()}). Its logs go to stderr at WARN ({@code logback-quiet.xml}), so stdout carries only
 * the result line. The Go consumer is a static binary and the JavaScript one runs on {@code node}
 * with its {@code node_modules} beside it, both built by {@code scripts/install-consumers-sdk}
 * (once per version of their sources, then cached).
 *
 * <p>Nothing here logs an environment value; the stderr tail in a result has the environment's
 * {@code AWS_SECRET_ACCESS_KEY} value replaced by {@code <redacted>}.
 */
public final class Consumers {
  /** How long one consumer may take (its four calls, plus a JVM or Python start). */
  public static final Duration TIMEOUT = Duration.ofSeconds(120);

  private static final int STDERR_LINES = 40;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path venv;
  private static Path sdkConsumers;

  private Consumers() {}

  /** The consumers; {@link #label()} is the {@code client} field of their result line. */
  public enum Client {
    BOTO3("boto3"),
    AWSCLI("awscli"),
    JAVA_SDK_V2("aws-sdk-java-v2"),
    GO_SDK_V2("aws-sdk-go-v2"),
    JS_SDK_V3("aws-sdk-js-v3");

    private final String label;

    Client(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One consumer's verdicts, as it printed them. Each step is {@code "ok"} / {@code "ok size=N
   * sha256=HEX"} / {@code "refused AccessDenied"} / {@code "ALLOWED"} / a URL, or starts with
   * {@code "error: "}; when the consumer printed no result line (it crashed or timed out) every
   * step says so. {@code stderrTail} is the last lines of its stderr, redacted.
   */
  public record ConsumerResult(
      String client, String list, String get, String put, String presigned, String stderrTail) {}

  /**
   * Runs one consumer to the end.
   *
   * @param client which consumer
   * @param env exactly the environment the consumer gets (the Secret's keys; for {@link
   *     Client#JAVA_SDK_V2} also {@code JAVA_TOOL_OPTIONS}). {@code PATH} and {@code HOME} are
   *     added when absent: the test JVM's {@code PATH} and a new empty directory.
   * @param mountDir the directory standing for the mounted Secret volume (the env's file paths
   *     point into it); it must exist
   * @param bucket the bucket to list and read
   * @param key an object in it the consumer must list and read
   * @param forbiddenKey a key the consumer tries to write, which a read-only grant must refuse
   */
  public static ConsumerResult run(
      Client client,
      Map<String, String> env,
      Path mountDir,
      String bucket,
      String key,
      String forbiddenKey) {
    if (!Files.isDirectory(mountDir)) {
      throw new IllegalArgumentException("the mount directory " + mountDir + " does not exist");
    }
    String secret = env.get("AWS_SECRET_ACCESS_KEY");
    Path home = null;
    Path out = null;
    Path err = null;
    try {
      home = Files.createTempDirectory("consumer-home");
      out = Files.createTempFile("consumer", ".out");
      err = Files.createTempFile("consumer", ".err");
      ProcessBuilder pb =
          new ProcessBuilder(command(client, bucket, key, forbiddenKey))
              .directory(home.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      Map<String, String> childEnv = pb.environment();
      childEnv.clear();
      childEnv.putAll(env);
      String path = System.getenv("PATH");
      childEnv.putIfAbsent("PATH", path == null ? "/usr/local/bin:/usr/bin:/bin" : path);
      childEnv.putIfAbsent("HOME", home.toString());

      Process p = pb.start();
      boolean finished = p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!finished) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      String stderrTail = redact(tail(err), secret);
      if (!finished) {
        return failed(client, "error: timed out after " + TIMEOUT.toSeconds() + " s", stderrTail);
      }
      JsonNode line = resultLine(out);
      if (line == null) {
        return failed(
            client,
            "error: printed no result line (exit " + p.exitValue() + ")",
            stderrTail + redact(stdoutTail(out), secret));
      }
      return new ConsumerResult(
          field(line, "client", secret),
          field(line, "list", secret),
          field(line, "get", secret),
          field(line, "put", secret),
          field(line, "presigned", secret),
          stderrTail);
    } catch (IOException e) {
      throw new IllegalStateException("could not run the " + client.label() + " consumer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running the " + client.label(), e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
      deleteTreeQuietly(home);
    }
  }

  /** The virtualenv with boto3 and the AWS CLI, installed on first use (once per JVM). */
  public static synchronized Path venv() {
    if (venv == null) {
      venv =
          InstallScript.run(
              "install-consumers", Duration.ofMinutes(10), "the consumer contract tests", "");
    }
    return venv;
  }

  /**
   * The directory with the built Go consumer ({@code go/s3-consumer}) and the installed JavaScript
   * one ({@code js/consumer.mjs}), built on first use (once per JVM).
   */
  public static synchronized Path sdkConsumers() {
    if (sdkConsumers == null) {
      sdkConsumers =
          InstallScript.run(
              "install-consumers-sdk", Duration.ofMinutes(10), "the consumer contract tests", "");
    }
    return sdkConsumers;
  }

  private static List<String> command(
      Client client, String bucket, String key, String forbiddenKey) {
    Path scripts = InstallScript.root().resolve("src/test/resources/consumers");
    List<String> cmd = new ArrayList<>();
    switch (client) {
      case BOTO3 -> {
        cmd.add(venv().resolve("bin/python").toString());
        cmd.add(scripts.resolve("boto3_consumer.py").toString());
      }
      case AWSCLI -> {
        cmd.add("bash");
        cmd.add(scripts.resolve("awscli_consumer.sh").toString());
        cmd.add(venv().toString());
      }
      case JAVA_SDK_V2 -> {
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Logs to stderr, warnings only: stdout is for the result line.
        cmd.add("-Dlogback.configurationFile=logback-quiet.xml");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(JavaSdkConsumer.class.getName());
      }
      case GO_SDK_V2 -> cmd.add(sdkConsumers().resolve("go/s3-consumer").toString());
      case JS_SDK_V3 -> {
        // node from PATH, as in a Node.js image; the SDK resolves from the script's node_modules
        cmd.add("node");
        cmd.add(sdkConsumers().resolve("js/consumer.mjs").toString());
      }
    }
    cmd.add(bucket);
    cmd.add(key);
    cmd.add(forbiddenKey);
    return cmd;
  }

  /**
   * The test classpath for the child JVM. Surefire and Failsafe always put it in {@code
   * surefire.test.class.path}. Their {@code java.class.path} is the same list with the default
   * {@code useManifestOnlyJar=true} (3.5.3 sets the property to it, though the JVM started from a
   * booter jar), but only the booter's own jars with {@code useManifestOnlyJar=false}, where a
   * child could not find the SDK. Elsewhere (an IDE, a plain {@code java} run) {@code
   * java.class.path} is the real one. (With Failsafe the main classes are the packaged jar, which
   * holds {@code logback-quiet.xml} too.)
   */
  static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    return cp;
  }

  /** The last stdout line that is a JSON object with a {@code client} field, or null. */
  private static JsonNode resultLine(Path out) throws IOException {
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).trim();
      if (line.startsWith("{")) {
        try {
          JsonNode node = JSON.readTree(line);
          if (node != null && node.isObject() && node.has("client")) {
            return node;
          }
        } catch (IOException notJson) {
          // a log line that happens to start with a brace: keep looking
        }
      }
    }
    return null;
  }

  private static String field(JsonNode line, String name, String secret) {
    JsonNode v = line.get(name);
    return v == null || v.isNull()
        ? "error: no " + name + " in the result line"
        : redact(v.asText(), secret);
  }

  private static ConsumerResult failed(Client client, String why, String stderrTail) {
    return new ConsumerResult(client.label(), why, why, why, why, stderrTail);
  }

  private static String tail(Path file) throws IOException {
    List<String> all =
        new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - STDERR_LINES), all.size()));
  }

  private static String stdoutTail(Path out) throws IOException {
    String t = tail(out);
    return t.isEmpty() ? "" : "\n--- stdout:\n" + t;
  }

  private static String redact(String text, String secret) {
    return secret == null || secret.isEmpty() ? text : text.replace(secret, "<redacted>");
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temp file left behind
      }
    }
  }

  private static void deleteTreeQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(Consumers::deleteQuietly);
    } catch (IOException ignored) {
      // a temp directory left behind
    }
  }
}
