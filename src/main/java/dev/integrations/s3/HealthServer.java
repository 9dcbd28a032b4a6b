package dev.integrations.s3;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (the operator started and its informers
 * are healthy) and {@code /metrics} (Prometheus text format), on the JDK's own HTTP server.
 */
public final class HealthServer {
  private final HttpServer server;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HealthServer.class);
  private final AtomicBoolean started = new AtomicBoolean();

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  /** Starts the endpoints; port 0 means disabled (a no-op server). */
  public static HealthServer start(int port, Operator operator, PrometheusMeterRegistry registry) {
    if (port == 0) {
      return new HealthServer(null);
    }
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress(port), 0);
      HealthServer health = new HealthServer(http);
      http.createContext("/healthz", ex -> respond(ex, 200, "ok\n", "text/plain"));
      http.createContext(
          "/readyz",
          ex -> {
            boolean ready =
                health.started.get() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
            respond(ex, ready ? 200 : 503, ready ? "ready\n" : "not ready\n", "text/plain");
          });
      http.createContext(
          "/metrics",
          ex -> {
            String body;
            try {
              body = registry.scrape();
            } catch (RuntimeException e) {
              // an answer, not a dropped connection (what the JDK's server does on an exception)
              LOG.error("/metrics failed: {}", e.toString());
              respond(
                  ex, 500, "scrape failed: " + e.getClass().getSimpleName() + "\n", "text/plain");
              return;
            }
            respond(ex, 200, body, "text/plain; version=0.0.4; charset=utf-8");
          });
      http.start();
      return health;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port, e);
    }
  }

  void markStarted() {
    started.set(true);
  }

  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static void respond(HttpExchange ex, int code, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
