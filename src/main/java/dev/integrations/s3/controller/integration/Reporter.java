package dev.integrations.s3.controller.integration;

import dev.integrations.s3.controller.common.Applied;
import dev.integrations.s3.controller.common.Events;
import dev.integrations.s3.metrics.MetricNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;

/**
 * Turns what the appliers did into Events and metrics, so that neither is written inline: every
 * write to the storage or the Secret is one Event, and no Event is written for a no-op. Metrics
 * (names in {@code metrics.MetricNames}): {@code s3_operator_writes_total{step,outcome}}, writes to
 * MinIO and to Secrets; {@code s3_operator_verifications_total{result}}.
 */
final class Reporter {
  /** Events of these outcomes are Warnings: access was taken away. */
  private static final Set<String> WARNINGS = Set.of("AccessWithdrawn");

  private final Events events;
  private final MeterRegistry registry;

  Reporter(Events events, MeterRegistry registry) {
    this.events = events;
    this.registry = registry;
  }

  void applied(HasMetadata resource, List<Applied> results) {
    for (Applied a : results) {
      if (a.outcome() == Applied.Outcome.NOOP) {
        continue;
      }
      if (a.event() == null) {
        // the operator's own bookkeeping: counted, but no Event in the tenant's namespace
      } else if (WARNINGS.contains(a.event())) {
        events.warning(resource, a.event(), a.message());
      } else {
        events.normal(resource, a.event(), a.message());
      }
      Counter.builder(MetricNames.WRITES)
          .description("Writes to MinIO and to output Secrets, by step and outcome")
          .tag(MetricNames.STEP, a.type())
          .tag(MetricNames.OUTCOME, a.outcome().name().toLowerCase(java.util.Locale.ROOT))
          .register(registry)
          .increment();
    }
  }

  void verified(String result) {
    Counter.builder(MetricNames.VERIFICATIONS)
        .description("Verifications with the issued credentials, by result")
        .tag(MetricNames.RESULT, result)
        .register(registry)
        .increment();
  }
}
