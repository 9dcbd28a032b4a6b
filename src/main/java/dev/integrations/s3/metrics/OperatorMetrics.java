package dev.integrations.s3.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator's metrics around JOSDK's: everything is passed on to JOSDK's Micrometer metrics
 * ({@code operator_sdk_*}) except the timing of reconcile and cleanup executions, which is ours:
 * {@code s3_operator_reconcile_duration_seconds{kind,operation,outcome}}, a histogram with fixed
 * buckets from 5 ms to the 2-minute reconcile deadline, and no client-side percentiles (they cannot
 * be aggregated across replicas). JOSDK's own timer of the same executions (about 70 default
 * buckets up to 30 s, percentiles, no outcome) is thereby not registered.
 *
 * <p>Each registered controller's informer cache is also handed to {@link ResourceReadiness}.
 */
public final class OperatorMetrics implements Metrics {
  /** Micrometer name; Prometheus: s3_operator_reconcile_duration_seconds_{bucket,count,sum}. */
  public static final String RECONCILE_DURATION = MetricNames.RECONCILE_DURATION;

  /** Bucket bounds: sub-second steady state up to the reconcile deadline (2 minutes). */
  static final Duration[] BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(120)
  };

  private static final String GVK = "josdk.resource.gvk";

  private final Metrics delegate;
  private final MeterRegistry registry;
  private final ResourceReadiness readiness;

  /**
   * @param delegate JOSDK's metrics (events, reconciliations started/succeeded/failed, retries)
   * @param readiness where the controllers' caches are exported; null for none
   */
  public OperatorMetrics(Metrics delegate, MeterRegistry registry, ResourceReadiness readiness) {
    this.delegate = delegate;
    this.registry = registry;
    this.readiness = readiness;
  }

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    delegate.controllerRegistered(controller);
    if (readiness != null) {
      String kind = controller.getAssociatedGroupVersionKind().getKind();
      readiness.watch(
          kind, () -> controller.getEventSourceManager().getControllerEventSource().list());
    }
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    long start = System.nanoTime();
    String outcome = "error";
    try {
      T result = execution.execute();
      outcome = "success";
      return result;
    } finally {
      timer(kind(execution), execution.name(), outcome)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  Timer timer(String kind, String operation, String outcome) {
    return Timer.builder(RECONCILE_DURATION)
        .description(
            "Duration of reconcile and cleanup executions, by kind, operation and outcome"
                + " (error: the execution threw and is retried)")
        .tag(MetricNames.KIND, kind)
        .tag(MetricNames.OPERATION, operation)
        .tag(MetricNames.OUTCOME, outcome)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  private static String kind(ControllerExecution<?> execution) {
    Object gvk = execution.metadata() == null ? null : execution.metadata().get(GVK);
    return gvk instanceof GroupVersionKind g ? g.getKind() : execution.controllerName();
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    delegate.receivedEvent(event, metadata);
  }

  @Override
  public void reconcileCustomResource(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    delegate.reconcileCustomResource(resource, retryInfo, metadata);
  }

  @Override
  public void failedReconciliation(
      HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    delegate.failedReconciliation(resource, exception, metadata);
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    delegate.reconciliationExecutionStarted(resource, metadata);
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    delegate.reconciliationExecutionFinished(resource, metadata);
  }

  @Override
  public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
    delegate.cleanupDoneFor(resourceID, metadata);
  }

  @Override
  public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
    delegate.finishedReconciliation(resource, metadata);
  }

  @Override
  public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
    return delegate.monitorSizeOf(map, name);
  }
}
