package dev.integrations.s3;

import dev.integrations.s3.NioHttpServer.Limits;
import dev.integrations.s3.NioHttpServer.Response;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz} (the process answers) and {@code /readyz} (the operator started and its
 * informers are healthy) on the probe port, {@code /metrics} (Prometheus text format) on the
 * metrics port: two {@link NioHttpServer}s, each with a thread of its own, so that neither a
 * stalled client nor a slow scrape can hold up the kubelet's probes (issue 21, item 2).
 */
public final class HealthServer {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HealthServer.class);

  /**
   * The probe port's bounds: probes are tiny and answered at once, so 64 connections, 3 s for the
   * request (the chart's probe timeout), 8 KiB of request head.
   */
  static final Limits PROBE_LIMITS =
      new Limits(64, Duration.ofSeconds(3), Duration.ofSeconds(3), 8192, 16);

  /**
   * The metrics port's bounds: a scrape's body can be a few MiB (10,000 integrations: about 1.5
   * MB), held per connection while it is written, so fewer connections and 30 s to take it.
   */
  static final Limits METRICS_LIMITS =
      new Limits(16, Duration.ofSeconds(3), Duration.ofSeconds(30), 8192, 4);

  private final NioHttpServer metrics;
  private final NioHttpServer probes;
  private final AtomicBoolean started;

  private HealthServer(NioHttpServer metrics, NioHttpServer probes, AtomicBoolean started) {
    this.metrics = metrics;
    this.probes = probes;
    this.started = started;
  }

  /**
   * Starts the endpoints; a port of 0 leaves its endpoints off.
   *
   * @param metricsPort port of {@code /metrics} (HTTP_PORT)
   * @param probePort port of {@code /healthz} and {@code /readyz} (PROBE_PORT)
   * @param informersHealthy whether the operator's event sources are healthy (read by /readyz after
   *     {@link #markStarted()})
   */
  public static HealthServer start(
      int metricsPort,
      int probePort,
      BooleanSupplier informersHealthy,
      PrometheusMeterRegistry registry) {
    if (metricsPort != 0 && metricsPort == probePort) {
      throw new IllegalArgumentException("the metrics and probe ports must differ: " + probePort);
    }
    AtomicBoolean started = new AtomicBoolean();
    NioHttpServer metrics = null;
    try {
      metrics =
          metricsPort == 0
              ? null
              : NioHttpServer.start(
                  "http-metrics",
                  metricsPort,
                  Map.of("/metrics", () -> scrape(registry)),
                  METRICS_LIMITS);
      NioHttpServer probes =
          probePort == 0
              ? null
              : NioHttpServer.start(
                  "http-probes",
                  probePort,
                  Map.of(
                      "/healthz",
                      () -> Response.text(200, "ok\n"),
                      "/readyz",
                      () ->
                          started.get() && informersHealthy.getAsBoolean()
                              ? Response.text(200, "ready\n")
                              : Response.text(503, "not ready\n")),
                  PROBE_LIMITS);
      return new HealthServer(metrics, probes, started);
    } catch (IOException e) {
      if (metrics != null) {
        metrics.close();
      }
      throw new UncheckedIOException(
          "cannot listen on port " + metricsPort + " or " + probePort, e);
    }
  }

  private static Response scrape(PrometheusMeterRegistry registry) {
    String body;
    try {
      body = registry.scrape();
    } catch (RuntimeException e) {
      // an answer, not a dropped connection
      LOG.error("/metrics failed: {}", e.toString());
      return Response.text(500, "scrape failed: " + e.getClass().getSimpleName() + "\n");
    }
    return new Response(
        200, "text/plain; version=0.0.4; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  void markStarted() {
    started.set(true);
  }

  void stop() {
    if (probes != null) {
      probes.close();
    }
    if (metrics != null) {
      metrics.close();
    }
  }
}
