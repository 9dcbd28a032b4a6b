package dev.integrations.s3.metrics;

import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Prometheus: {@code s3_operator_resource_ready{kind,namespace,name,reason}}, 1 when the resource's
 * {@code Ready} condition is True, else 0; {@code reason} is the condition's reason ({@code
 * NoStatus} before the first status is written). One series per resource of every kind that has a
 * Ready condition.
 *
 * <p>The series are read from the controllers' informer caches at each scrape, so the operator
 * keeps no state of its own per resource: a deleted resource leaves the cache and its series is
 * gone at the next scrape, a changed reason replaces the series (never two per resource), and
 * nothing grows with churn. A standby replica (leader election) has the same caches and exports the
 * same series; alerts aggregate with {@code max by (kind, namespace, name)}.
 */
public final class ResourceReadiness implements Collector {
  public static final String METRIC = MetricNames.prometheus(MetricNames.RESOURCE_READY);

  /** The reason of a resource the operator has not written a Ready condition for yet. */
  public static final String NO_STATUS = "NoStatus";

  private static final MetricMetadata METADATA =
      new MetricMetadata(
          METRIC,
          "1 when the resource's Ready condition is True, else 0; reason is the condition's reason."
              + " One series per S3Integration, S3AccessPolicy, S3Store and ClusterS3Store");

  /** Kind to the resources in its controller's cache. */
  private final Map<String, Supplier<Stream<? extends HasMetadata>>> caches =
      new ConcurrentHashMap<>();

  /** Exports the resources {@code cache} lists, under {@code kind}; a later call replaces it. */
  public void watch(String kind, Supplier<Stream<? extends HasMetadata>> cache) {
    caches.put(kind, cache);
  }

  @Override
  public String getPrometheusName() {
    return METRIC;
  }

  @Override
  public GaugeSnapshot collect() {
    List<GaugeDataPointSnapshot> points = new ArrayList<>();
    caches.forEach(
        (kind, cache) -> {
          try (Stream<? extends HasMetadata> resources = cache.get()) {
            resources.forEach(r -> points.add(point(kind, r)));
          } catch (RuntimeException notStarted) {
            // the informer is not running (yet, or any more): no series for this kind this time
          }
        });
    return new GaugeSnapshot(METADATA, points);
  }

  private static GaugeDataPointSnapshot point(String kind, HasMetadata resource) {
    Condition ready = ready(resource);
    String namespace = resource.getMetadata().getNamespace();
    Labels labels =
        Labels.of(
            MetricNames.KIND,
            kind,
            MetricNames.NAMESPACE,
            namespace == null ? "" : namespace,
            MetricNames.NAME,
            resource.getMetadata().getName(),
            MetricNames.REASON,
            ready == null || ready.getReason() == null ? NO_STATUS : ready.getReason());
    double value = ready != null && "True".equals(ready.getStatus()) ? 1 : 0;
    return new GaugeDataPointSnapshot(value, labels, null);
  }

  /** The Ready condition of any of the four kinds, or null. */
  static Condition ready(HasMetadata resource) {
    List<Condition> conditions = null;
    if (resource instanceof S3Integration i && i.getStatus() != null) {
      conditions = i.getStatus().getConditions();
    } else if (resource instanceof S3AccessPolicy p && p.getStatus() != null) {
      conditions = p.getStatus().getConditions();
    } else if (resource instanceof S3Store s && s.getStatus() != null) {
      conditions = s.getStatus().getConditions();
    } else if (resource instanceof ClusterS3Store s && s.getStatus() != null) {
      conditions = s.getStatus().getConditions();
    }
    return Conditions.find(conditions, ConditionTypes.READY).orElse(null);
  }
}
