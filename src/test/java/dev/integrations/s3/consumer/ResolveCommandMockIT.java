package dev.integrations.s3.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLI's arguments, output and exit codes, against the mock API server. */
@EnableKubernetesMockClient(crud = true)
class ResolveCommandMockIT {
  static KubernetesClient client;
  static final String NS = "cli";

  @BeforeAll
  static void secrets() {
    client
        .resource(
            Fixtures.secret(
                Fixtures.store(client, NS, "media", "True", false),
                "media-s3",
                Fixtures.config("AKMEDIA", "SKMEDIA", "http://minio.cli:9000", "path", "media")))
        .create();
    client
        .resource(
            Fixtures.secret(
                Fixtures.store(client, NS, "broken", "False", false),
                "broken-s3",
                Fixtures.config("AKBROKEN", "SKBROKEN", "http://minio.cli:9000", "path", "broken")))
        .create();
  }

  record Result(int code, String out, String err) {}

  static Result run(KubernetesClient c, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ResolveCommand.run(
            args,
            c,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Result run(String... args) {
    return run(client, args);
  }

  @Test
  void printsOnlyTheUrlOnStdout() {
    Result r = run("--namespace", NS, "s3://media/dir/a b.png");

    assertThat(r.code()).as(r.err()).isEqualTo(0);
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).endsWith("\n");
    assertThat(r.out().strip().lines()).hasSize(1);
    URI url = URI.create(r.out().strip());
    assertThat(url.getHost()).isEqualTo("minio.cli");
    assertThat(url.getRawPath()).isEqualTo("/media/dir/a%20b.png");
    assertThat(url.getRawQuery()).contains("X-Amz-Expires=900").contains("AKMEDIA");
    assertThat(r.out()).doesNotContain("SKMEDIA");
  }

  @Test
  void expiryOptionInBothForms() {
    assertThat(run("-n", NS, "--expiry", "90s", "s3://media/k").out())
        .contains("X-Amz-Expires=90&");
    assertThat(run("--namespace=" + NS, "--expiry=1h30m", "s3://media/k").out())
        .contains("X-Amz-Expires=5400&");
    assertThat(run("--namespace", NS, "--expiry", "PT2M", "s3://media/k").out())
        .contains("X-Amz-Expires=120&");
    assertThat(run("--namespace", NS, "--expiry", "7d", "s3://media/k").code()).isEqualTo(0);
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertUsage(run(), "--namespace is required");
    assertUsage(run("s3://media/k"), "--namespace is required");
    assertUsage(run("--namespace", NS), "no locator given");
    assertUsage(run("--namespace"), "--namespace needs a value");
    assertUsage(run("--namespace", NS, "--bogus", "s3://media/k"), "unknown option --bogus");
    assertUsage(run("--namespace", NS, "s3://media/a", "s3://media/b"), "exactly one locator");
    assertUsage(
        run("--namespace", NS, "--expiry", "soon", "s3://media/k"), "\"soon\" is not a duration");
    assertUsage(run("--namespace", NS, "--expiry", "8d", "s3://media/k"), "out of bounds");
    assertUsage(run("--namespace", NS, "--expiry", "0s", "s3://media/k"), "out of bounds");
    assertUsage(run("--namespace", NS, "--no-ready-check=yes", "s3://media/k"), "takes no value");
  }

  @Test
  void malformedLocatorExitsWithTwoNamingIt() {
    assertUsage(run("--namespace", NS, "s3://media"), "\"s3://media\"");
    assertUsage(run("--namespace", NS, "http://media/k"), "\"http://media/k\"");
    assertUsage(run("--namespace", NS, "s3:///k"), "\"s3:///k\"");
  }

  @Test
  void helpPrintsUsageAndSucceeds() {
    Result r = run("--help");
    assertThat(r.code()).isEqualTo(0);
    assertThat(r.out()).contains(ResolveCommand.USAGE_LINE);
  }

  @Test
  void noRouteExitsWithThreeNamingNamespaceAndPatterns() {
    Result r = run("--namespace", NS, "s3://unserved/k");
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("namespace \"cli\"")
        .contains("s3://unserved/k")
        .contains("s3://media/*")
        .contains("broken-s3")
        .doesNotContain("SKBROKEN");

    Result empty = run("--namespace", "nothing-here", "s3://media/k");
    assertThat(empty.code()).isEqualTo(3);
    assertThat(empty.err()).contains("\"nothing-here\"").contains("none");
  }

  @Test
  void readyCheckSkipsNotReadyIntegrationsUnlessSwitchedOff() {
    Result checked = run("--namespace", NS, "s3://broken/k");
    assertThat(checked.code()).isEqualTo(3);
    assertThat(checked.err()).contains("not Ready");

    Result unchecked = run("--namespace", NS, "--no-ready-check", "s3://broken/k");
    assertThat(unchecked.code()).as(unchecked.err()).isEqualTo(0);
    assertThat(unchecked.out()).contains("AKBROKEN");
  }

  @Test
  void unreachableApiServerExitsWithOne() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Config config =
        new ConfigBuilder()
            .withMasterUrl("http://127.0.0.1:" + port)
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(2000)
            .withRequestTimeout(2000)
            .build();
    try (KubernetesClient dead = new KubernetesClientBuilder().withConfig(config).build()) {
      long start = System.nanoTime();
      Result r = run(dead, "--namespace", NS, "s3://media/k");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).startsWith("resolve: ").hasSizeGreaterThan("resolve: \n".length());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }
  }

  private static void assertUsage(Result r, String message) {
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains(message).contains(ResolveCommand.USAGE_LINE);
  }
}
