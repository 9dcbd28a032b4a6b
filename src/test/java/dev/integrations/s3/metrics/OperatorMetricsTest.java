package dev.integrations.s3.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reconcile duration histogram as Prometheus scrapes it. */
class OperatorMetricsTest {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final OperatorMetrics metrics = new OperatorMetrics(Metrics.NOOP, registry, null);

  static Metrics.ControllerExecution<String> execution(String name, RuntimeException failure) {
    return new Metrics.ControllerExecution<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String controllerName() {
        return "s3integrationreconciler";
      }

      @Override
      public String successTypeName(String result) {
        return result;
      }

      @Override
      public ResourceID resourceID() {
        return new ResourceID("viz", "team-a");
      }

      @Override
      public Map<String, Object> metadata() {
        return Map.of(
            "josdk.resource.gvk",
            new GroupVersionKind("s3.integrations.dev", "v1alpha1", "S3Integration"));
      }

      @Override
      public String execute() {
        if (failure != null) {
          throw failure;
        }
        return "status";
      }
    };
  }

  List<String> lines(String prefix) {
    return registry.scrape().lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @Test
  void reconcilesAreAHistogramByKindOperationAndOutcome() throws Exception {
    assertThat(metrics.timeControllerExecution(execution("reconcile", null))).isEqualTo("status");
    assertThat(metrics.timeControllerExecution(execution("reconcile", null))).isEqualTo("status");
    RuntimeException boom = new IllegalStateException("storage unreachable");
    assertThatThrownBy(() -> metrics.timeControllerExecution(execution("cleanup", boom)))
        .isSameAs(boom);

    String labels = "kind=\"S3Integration\",operation=\"reconcile\",outcome=\"success\"";
    assertThat(lines("s3_operator_reconcile_duration_seconds_count{"))
        .containsExactlyInAnyOrder(
            "s3_operator_reconcile_duration_seconds_count{" + labels + "} 2",
            "s3_operator_reconcile_duration_seconds_count{kind=\"S3Integration\","
                + "operation=\"cleanup\",outcome=\"error\"} 1");
    // buckets histogram_quantile can use: 5 ms to the 2-minute deadline, then +Inf
    List<String> buckets =
        lines("s3_operator_reconcile_duration_seconds_bucket{" + labels).stream()
            .map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1"))
            .toList();
    assertThat(buckets)
        .containsExactly(
            "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0",
            "30.0", "60.0", "120.0", "+Inf");
    assertThat(registry.scrape())
        .contains("# TYPE s3_operator_reconcile_duration_seconds histogram")
        .doesNotContain("quantile=")
        .doesNotContain("operator_sdk_controllers_execution");
  }
}
