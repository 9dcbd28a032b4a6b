package dev.integrations.s3.metrics;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.ownership.OwnershipRecord;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prometheus: {@code s3_operator_key_age_seconds{namespace,name}}, how old the key is that each
 * managed integration's consumers hold (since it was issued). An alert on it catches a rotation
 * that stopped happening. One series per managed integration whose key issue time is known.
 */
public final class KeyAges {

  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  private static final class Entry {
    volatile Instant issued;
    Gauge gauge;
  }

  public KeyAges(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** After a reconcile: the record's key issue time (nothing when it is not known). */
  public void observe(S3Integration resource, OwnershipRecord record) {
    if (record == null || record.keyIssued() == null) {
      return;
    }
    Entry e =
        entries.computeIfAbsent(
            resource.getMetadata().getUid(),
            uid -> {
              Entry n = new Entry();
              n.gauge =
                  Gauge.builder(MetricNames.KEY_AGE, n, x -> age(x.issued))
                      .description("Age of the key consumers of a managed integration hold")
                      .baseUnit("seconds")
                      .tag(MetricNames.NAMESPACE, resource.getMetadata().getNamespace())
                      .tag(MetricNames.NAME, resource.getMetadata().getName())
                      .register(registry);
              return n;
            });
    e.issued = record.keyIssued();
  }

  private double age(Instant issued) {
    return issued == null ? Double.NaN : Duration.between(issued, Instant.now(clock)).toSeconds();
  }

  /** The integration is gone: its series goes too. */
  public void forget(S3Integration resource) {
    Entry e = entries.remove(resource.getMetadata().getUid());
    if (e != null && e.gauge != null) {
      registry.remove(e.gauge);
    }
  }
}
