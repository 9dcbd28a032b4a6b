package dev.integrations.s3.e2e;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator's /metrics as Prometheus scrapes it from the real process (its own JVM, real
 * kube-apiserver and MinIO): the per-resource Ready gauge follows a resource through Ready, a
 * changed reason and deletion; the reconcile histogram has its buckets; and every metric the
 * chart's alerting rules and Grafana dashboard query is one the operator exports.
 */
class MetricsE2E {
  static final Path CHART =
      Path.of(System.getProperty("project.basedir", "."), "helm/s3-integration-operator");
  static final String READY = "s3_operator_resource_ready";

  final Set<String> scrapedNames = new TreeSet<>();

  @Test
  void readyGaugeFollowsTheResourceAndAlertsAndDashboardUseExportedMetrics() throws Exception {
    KubeApiServer kube = KubeApiServer.shared();
    KubernetesClient client = kube.client();
    MinioServer minio = MinioServer.shared();
    String ns = kube.createNamespace("metrics");
    String operatorNs = kube.createNamespace("metrics-op");
    String bucket = "metrics-" + MinioServer.randomSuffix();
    object(minio.rootS3(), bucket, "a.txt", "alpha");
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    S3Store store = store(ns, "minio", minio.host(), minio.port(), "minio-admin");
    store
        .getSpec()
        .getAdmin()
        .setUserPrefix("metrics" + MinioServer.randomAlnum(5).toLowerCase() + ".");
    client.resource(store).create();
    client.resource(policy(ns, "read", bucket)).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();

    try (OperatorProcess op =
        new OperatorProcess(
            kube.kubeConfigFile(),
            Map.of("WATCH_NAMESPACES", ns, "OPERATOR_NAMESPACE", operatorNs),
            OperatorProcess.CHART_HEAP,
            "metrics")) {
      op.start();
      String viz = READY + "{kind=\"S3Integration\",name=\"viz\",namespace=\"" + ns + "\",";

      // Ready: one series per resource, value 1, reason Ready.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(readySeries(op, ns))
                      .contains(viz + "reason=\"Ready\"} 1.0")
                      .anyMatch(
                          l ->
                              l.startsWith(READY + "{kind=\"S3Store\",name=\"minio\",")
                                  && l.endsWith(" 1.0"))
                      .anyMatch(
                          l ->
                              l.startsWith(READY + "{kind=\"S3AccessPolicy\",name=\"read\",")
                                  && l.endsWith(" 1.0"))
                      .hasSize(3));
      String metrics = scrape(op);
      assertThat(metrics)
          .contains("# TYPE s3_operator_reconcile_duration_seconds histogram")
          .doesNotContain("operator_sdk_controllers_execution_reconcile_seconds");
      assertThat(metrics.lines())
          .filteredOn(l -> l.startsWith("s3_operator_reconcile_duration_seconds_bucket{"))
          .filteredOn(l -> l.contains("kind=\"S3Integration\"") && l.contains("le=\"120.0\""))
          .filteredOn(l -> l.contains("operation=\"reconcile\",outcome=\"success\""))
          .singleElement()
          .asString()
          .doesNotEndWith(" 0");

      // The policy is deleted: its series goes (the kind has no finalizer), the integration's
      // reason changes and its old series is gone.
      client.resources(S3AccessPolicy.class).inNamespace(ns).withName("read").delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(readySeries(op, ns))
                      .contains(viz + "reason=\"PolicyNotFound\"} 0.0")
                      .noneMatch(l -> l.contains("kind=\"S3AccessPolicy\""))
                      .filteredOn(l -> l.startsWith(viz))
                      .hasSize(1));

      // The integration is deleted: no series is left for it.
      client.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(readySeries(op, ns))
                      .noneMatch(l -> l.startsWith(viz))
                      .singleElement()
                      .asString()
                      .startsWith(READY + "{kind=\"S3Store\""));
    }

    // What the chart's alerts and dashboard query, the operator exports.
    List<String> queries = new ArrayList<>();
    JsonNode rules =
        Serialization.yamlMapper()
            .readTree(Files.readString(CHART.resolve("files/prometheus-rules.yaml")));
    rules.findValues("expr").forEach(e -> queries.add(e.asText()));
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(Files.readString(CHART.resolve("files/grafana-dashboard.json")));
    dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
    assertThat(queries).hasSizeGreaterThanOrEqualTo(5 + 10);
    Set<String> used = new TreeSet<>();
    queries.forEach(q -> used.addAll(metricNames(q)));
    assertThat(used).contains(READY, "s3_operator_reconcile_duration_seconds_count");
    assertThat(scrapedNames).containsAll(used);
  }

  /** This test's lines of the Ready gauge, sorted. */
  List<String> readySeries(OperatorProcess op, String ns) throws Exception {
    return scrape(op)
        .lines()
        .filter(l -> l.startsWith(READY + "{") && l.contains("namespace=\"" + ns + "\""))
        .sorted()
        .toList();
  }

  String scrape(OperatorProcess op) throws Exception {
    String text = op.metrics();
    text.lines()
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .map(l -> l.split("[{ ]", 2)[0])
        .forEach(scrapedNames::add);
    return text;
  }

  private static final Set<String> PROMQL_WORDS =
      Set.of(
          "sum",
          "max",
          "min",
          "avg",
          "count",
          "topk",
          "bottomk",
          "rate",
          "irate",
          "increase",
          "histogram_quantile",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "and",
          "or",
          "unless",
          "bool",
          "offset");

  /** The metric names a PromQL expression selects. */
  static Set<String> metricNames(String promql) {
    String bare =
        promql
            .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // label values
            .replaceAll("\\{[^}]*}", " ") // label matchers
            .replaceAll("\\[[^]]*]", " ") // range selectors
            .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " "); // grouping labels
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
    while (m.find()) {
      if (!PROMQL_WORDS.contains(m.group())) {
        names.add(m.group());
      }
    }
    return names;
  }
}
