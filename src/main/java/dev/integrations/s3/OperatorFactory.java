package dev.integrations.s3;

import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.minio.MinioAdminFactory;
import dev.integrations.s3.reconciler.Events;
import dev.integrations.s3.reconciler.S3AccessPolicyReconciler;
import dev.integrations.s3.reconciler.S3IntegrationReconciler;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.verify.AccessProber;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Builds the Operator with both reconcilers, the same way in production and in tests: tests differ
 * only in the client they pass and, on the mock API server (which has no server-side apply), in
 * turning SSA off.
 */
public final class OperatorFactory {
  public static final String LEASE_NAME = "s3-integration-operator";

  private OperatorFactory() {}

  /**
   * @param adminFactory opens MinIO admin connections ({@code MinioAdminClientAdapter::connect} in
   *     production; tests wrap it to count calls)
   * @param useServerSideApply true in production; false only on the fabric8 mock server
   */
  public static Operator create(
      KubernetesClient client,
      OperatorConfig config,
      MeterRegistry registry,
      Clock clock,
      MinioAdminFactory adminFactory,
      boolean useServerSideApply) {
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(config.reconcileThreads())
                  .withUseSSAToPatchPrimaryResource(useServerSideApply)
                  .withSSABasedCreateUpdateMatchForDependentResources(useServerSideApply)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    config.leaderElectionNamespace().isEmpty()
                        ? new LeaderElectionConfiguration(LEASE_NAME)
                        : new LeaderElectionConfiguration(
                            LEASE_NAME, config.leaderElectionNamespace()));
              }
            });
    Conditions conditions = new Conditions(clock);
    Events events = new Events(client, clock);
    operator.register(new S3AccessPolicyReconciler(conditions, events), namespaces(config));
    operator.register(
        new S3IntegrationReconciler(
            config, conditions, events, adminFactory, new AccessProber(), clock),
        namespaces(config));
    return operator;
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata>
      Consumer<ControllerConfigurationOverrider<R>> namespaces(OperatorConfig config) {
    return o -> {
      if (config.watchesAllNamespaces()) {
        o.watchingAllNamespaces();
      } else {
        o.settingNamespaces(config.watchNamespaces());
      }
    };
  }
}
