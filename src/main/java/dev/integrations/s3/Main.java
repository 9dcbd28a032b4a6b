package dev.integrations.s3;

import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.informers.OperatorClient;
import dev.integrations.s3.storage.minio.MinioAdminClientAdapter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the operator against the cluster of the current {@code KUBECONFIG} (or the in-cluster
 * service account), with the controllers of all four kinds, metrics and health endpoints.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Logging.configure(config.logFormat());
    Logger log = LoggerFactory.getLogger(Main.class);

    KubernetesClient client = OperatorClient.create();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // heap, GC and threads: what an SRE sizes the memory limit by (jvm_memory_used_bytes, ...)
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Operator operator =
        OperatorFactory.create(
            client,
            config,
            registry,
            Clock.systemUTC(),
            (endpoint, accessKey, secretKey) ->
                MinioAdminClientAdapter.connect(
                    endpoint,
                    accessKey,
                    secretKey,
                    MinioAdminClientAdapter.BodyEncryption.valueOf(
                        config.adminBodyEncryption().toUpperCase(java.util.Locale.ROOT))),
            true);
    HealthServer health =
        HealthServer.start(
            config.httpPort(),
            config.probePort(),
            () -> operator.getRuntimeInfo().allEventSourcesAreHealthy(),
            registry);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping");
                  OperatorFactory.SHUTTING_DOWN.set(true);
                  operator.stop();
                  health.stop();
                  client.close();
                },
                "shutdown"));
    log.info(
        "starting against {} (namespaces: {}, leader election: {})",
        client.getMasterUrl(),
        config.watchesAllNamespaces() ? "all" : String.join(",", config.watchNamespaces()),
        config.leaderElection());
    operator.start();
    health.markStarted();
    log.info(
        "started; probes (/healthz, /readyz) on port {}, /metrics on port {}",
        config.probePort(),
        config.httpPort());
    try {
      Thread.sleep(Duration.ofDays(365 * 100L).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
