package dev.integrations.s3;

import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.controller.accesspolicy.S3AccessPolicyReconciler;
import dev.integrations.s3.controller.common.Events;
import dev.integrations.s3.controller.common.Leadership;
import dev.integrations.s3.controller.common.TenantBulkhead;
import dev.integrations.s3.controller.integration.S3IntegrationReconciler;
import dev.integrations.s3.controller.store.ClusterS3StoreReconciler;
import dev.integrations.s3.controller.store.S3StoreReconciler;
import dev.integrations.s3.informers.PrimaryCaches;
import dev.integrations.s3.informers.PrunedItemStore;
import dev.integrations.s3.metrics.OperatorMetrics;
import dev.integrations.s3.metrics.ResourceReadiness;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.storage.EndpointGuard;
import dev.integrations.s3.storage.minio.MeteredMinioAdmin;
import dev.integrations.s3.storage.minio.MinioAdminFactory;
import dev.integrations.s3.verify.AccessProber;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the Operator with the controllers of all four kinds (S3AccessPolicy, S3Integration,
 * S3Store and, unless CLUSTER_STORE_CONTROLLER is off, ClusterS3Store), the same way in production
 * and in tests: tests differ only in the client they pass and, on the mock API server (which has no
 * server-side apply), in turning SSA off.
 */
public final class OperatorFactory {
  public static final String LEASE_NAME = OperatorConfig.DEFAULT_LEASE_NAME;

  /**
   * Set by Main's shutdown hook before {@code operator.stop()}: giving up the lease then is
   * expected, losing it at any other time is not.
   */
  public static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();

  private static final Logger LOG = LoggerFactory.getLogger(OperatorFactory.class);

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
    // outside the overrider below: JOSDK may apply it more than once
    ResourceReadiness readiness = readiness(registry);
    // a standby's event sources run too; what they do on their own threads waits for the lease
    Leadership leadership = config.leaderElection() ? Leadership.elected() : Leadership.always();
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(config.reconcileThreads())
                  .withUseSSAToPatchPrimaryResource(useServerSideApply)
                  .withSSABasedCreateUpdateMatchForDependentResources(useServerSideApply)
                  // JOSDK leaves Secrets out of SSA by default; ours are written with it too.
                  .withDefaultNonSSAResource(java.util.Set.of())
                  .withMetrics(
                      new OperatorMetrics(
                          MicrometerMetrics.withoutPerResourceMetrics(registry),
                          registry,
                          readiness));
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(leaderElection(config, leadership));
              }
            });
    OperatorConfig effective = config.withOperatorNamespace(operatorNamespace(config, client));
    guardTenantEndpoints(config, client);
    Conditions conditions = new Conditions(clock);
    Events events = new Events(client, clock);
    MeteredMinioAdmin admins = new MeteredMinioAdmin(adminFactory, registry);
    AccessProber prober = new AccessProber();
    Set<String> watched = effective.watchNamespaces();
    // one bound for all work on tenants' own stores, whichever controller does it
    TenantBulkhead tenantBulkhead = TenantBulkhead.forThreads(config.reconcileThreads());
    operator.register(
        new S3AccessPolicyReconciler(conditions, events),
        PrimaryCaches.watching(watched, PrunedItemStore::new));
    operator.register(
        new S3IntegrationReconciler(
            effective,
            conditions,
            events,
            admins,
            prober,
            clock,
            registry,
            tenantBulkhead,
            leadership),
        PrimaryCaches.watching(watched, PrunedItemStore::integrations)); // the biggest cache
    operator.register(
        new S3StoreReconciler(effective, conditions, events, admins, prober, tenantBulkhead),
        PrimaryCaches.watching(watched, PrunedItemStore::new));
    // Cluster-scoped: one informer for the whole cluster whatever namespaces are watched; and one
    // operator in the cluster (shards of a platform turn it off in all releases but one).
    if (effective.clusterStoreController()) {
      operator.register(
          new ClusterS3StoreReconciler(
              effective, conditions, events, admins, prober, tenantBulkhead),
          PrimaryCaches.watching(Set.of(), PrunedItemStore::new));
    }
    return operator;
  }

  /**
   * Where tenants' S3Stores may make the operator connect ({@link EndpointGuard}): never the API
   * server (as the client reaches it, and as the in-cluster service environment names it); not
   * loopback in a pod, where it is the operator itself.
   */
  static void guardTenantEndpoints(OperatorConfig config, KubernetesClient client) {
    Set<InetSocketAddress> apiServer = new java.util.HashSet<>();
    java.net.URL master = client.getMasterUrl();
    int masterPort =
        master.getPort() > 0 ? master.getPort() : "https".equals(master.getProtocol()) ? 443 : 80;
    apiServer.addAll(resolved(master.getHost(), masterPort));
    String serviceHost = System.getenv("KUBERNETES_SERVICE_HOST");
    String servicePort = System.getenv("KUBERNETES_SERVICE_PORT");
    boolean inPod = serviceHost != null && !serviceHost.isBlank();
    if (inPod && servicePort != null && servicePort.matches("[0-9]{1,5}")) {
      apiServer.addAll(resolved(serviceHost, Integer.parseInt(servicePort)));
    }
    EndpointGuard.configure(config.s3StoreAllowedCidrs(), inPod, apiServer);
  }

  private static List<InetSocketAddress> resolved(String host, int port) {
    try {
      return java.util.Arrays.stream(InetAddress.getAllByName(host))
          .map(a -> new InetSocketAddress(a, port))
          .toList();
    } catch (UnknownHostException e) {
      return List.of();
    }
  }

  /**
   * The per-resource Ready gauge, read from the informer caches at each scrape: a collector of the
   * Prometheus registry itself (Micrometer has no meter whose series come and go with a cache).
   * Other registries (the tests' in-memory one) get none.
   */
  private static ResourceReadiness readiness(MeterRegistry registry) {
    if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
      return null;
    }
    ResourceReadiness readiness = new ResourceReadiness();
    prometheus.getPrometheusRegistry().register(readiness);
    return readiness;
  }

  /**
   * The operator's own namespace (ClusterS3Store Secrets, ownership records): OPERATOR_NAMESPACE
   * (the chart sets it from the pod's namespace), else the client's current namespace.
   */
  static String operatorNamespace(OperatorConfig config, KubernetesClient client) {
    if (!config.operatorNamespace().isEmpty()) {
      return config.operatorNamespace();
    }
    String ns = client.getNamespace();
    if (ns == null || ns.isBlank()) {
      // The records say which MinIO users the operator may reset and delete: they must live where
      // only the operator writes, never in `default` by accident.
      throw new IllegalStateException(
          OperatorConfig.OPERATOR_NAMESPACE
              + " is not set and the Kubernetes client names no namespace (no pod service"
              + " account, no namespace in the kubeconfig context): set "
              + OperatorConfig.OPERATOR_NAMESPACE
              + " to the operator's own namespace, where no tenant may write Secrets");
    }
    return ns;
  }

  /**
   * JOSDK's default leader election exits from onStopLeading, which fabric8 also runs when stop()
   * cancels the election; System.exit inside Main's shutdown hook would then block the JVM until
   * the pod is killed. So: exit only when the lease is lost while running.
   */
  static LeaderElectionConfiguration leaderElection(OperatorConfig config, Leadership leadership) {
    return new LeaderElectionConfiguration(
        config.leaseName(),
        config.leaderElectionNamespace().isEmpty() ? null : config.leaderElectionNamespace(),
        config.leaseDuration(),
        config.leaseDuration().multipliedBy(2).dividedBy(3),
        config.leaseDuration().multipliedBy(2).dividedBy(15),
        config.leaderElectionIdentity().isEmpty() ? null : config.leaderElectionIdentity(),
        new LeaderCallbacks(
            () -> {
              leadership.startedLeading();
              LOG.info("became the leader");
            },
            () -> {
              leadership.stoppedLeading();
              if (!SHUTTING_DOWN.get()) {
                LOG.error("lost the leader lease; exiting so that a restart rejoins the election");
                System.exit(1);
              }
            },
            leader -> LOG.info("leader is now {}", leader)),
        false);
  }
}
