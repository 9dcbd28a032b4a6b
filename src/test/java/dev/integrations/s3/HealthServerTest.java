package dev.integrations.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.testing.MinioServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The metrics endpoint answers, also when a collector fails. */
class HealthServerTest {

  @Test
  void aFailingScrapeAnswers500InsteadOfDroppingTheConnection() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    int port = MinioServer.freePort();
    HealthServer server = HealthServer.start(port, 0, () -> true, registry);
    try {
      assertThat(get(port).statusCode()).isEqualTo(200);

      registry
          .getPrometheusRegistry()
          .register(
              new Collector() {
                @Override
                public MetricSnapshot collect() {
                  throw new IllegalArgumentException("duplicate labels");
                }

                @Override
                public String getPrometheusName() {
                  return "broken";
                }
              });
      HttpResponse<String> failed = get(port);
      assertThat(failed.statusCode()).isEqualTo(500);
      assertThat(failed.body()).isEqualTo("scrape failed: IllegalArgumentException\n");
    } finally {
      server.stop();
    }
  }

  private static HttpResponse<String> get(int port) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
