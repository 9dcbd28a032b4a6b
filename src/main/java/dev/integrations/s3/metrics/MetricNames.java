package dev.integrations.s3.metrics;

import java.util.List;

/**
 * Every metric of the operator's own, by one convention: Micrometer names {@code
 * s3.operator.<what>} in lower case, dot-separated, registered where they are counted. The
 * Prometheus registry renders a name with underscores and the unit suffix of its type ({@code
 * _total} for counters, {@code _seconds} for timers and the key age); README's "Metrics and alerts"
 * table lists them in that form ({@code MetricNamesTest} keeps the two in step). Label names are
 * here too, so one word means one label everywhere.
 *
 * <p>JOSDK's {@code operator_sdk_*} and the JVM's {@code jvm_*} metrics come with their libraries.
 */
public final class MetricNames {
  private MetricNames() {}

  /** Gauge, one series per resource: 1 when Ready is True ({@link ResourceReadiness}). */
  public static final String RESOURCE_READY = "s3.operator.resource.ready";

  /** Histogram of reconcile and cleanup executions ({@link OperatorMetrics}). */
  public static final String RECONCILE_DURATION = "s3.operator.reconcile.duration";

  /** Counter of verifications by result. */
  public static final String VERIFICATIONS = "s3.operator.verifications";

  /** Counter of storage admin calls by operation and outcome. */
  public static final String MINIO_ADMIN_CALLS = "s3.operator.minio.admin.calls";

  /** Counter of writes to the storage and to Secrets, by step and outcome (0 in a steady state). */
  public static final String WRITES = "s3.operator.writes";

  /** Gauge of the age of the key consumers hold, per managed integration. */
  public static final String KEY_AGE = "s3.operator.key.age";

  /** Counter of users a deletion had to leave on a store that is gone. */
  public static final String USERS_LEFT_BEHIND = "s3.operator.users.left.behind";

  /** Counter of grants the revocation sweep took away, by action (narrowed, detached, retired). */
  public static final String REVOCATIONS = "s3.operator.revocations";

  /** All of the operator's own metric names. */
  public static final List<String> ALL =
      List.of(
          RESOURCE_READY,
          RECONCILE_DURATION,
          VERIFICATIONS,
          MINIO_ADMIN_CALLS,
          WRITES,
          KEY_AGE,
          USERS_LEFT_BEHIND,
          REVOCATIONS);

  /** Label names. */
  public static final String KIND = "kind";

  public static final String NAMESPACE = "namespace";
  public static final String NAME = "name";
  public static final String REASON = "reason";
  public static final String OPERATION = "operation";
  public static final String OUTCOME = "outcome";
  public static final String RESULT = "result";
  public static final String STEP = "step";
  public static final String STORE = "store";
  public static final String ACTION = "action";

  /** The Prometheus name of a metric, without the suffix its type adds. */
  public static String prometheus(String name) {
    return name.replace('.', '_');
  }
}
