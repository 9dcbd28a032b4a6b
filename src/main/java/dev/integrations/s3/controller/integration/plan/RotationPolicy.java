package dev.integrations.s3.controller.integration.plan;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.Durations;
import dev.integrations.s3.api.v1alpha1.RotationSpec;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.StoreRotation;
import dev.integrations.s3.ownership.OwnershipRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an integration asks of its key rotation, resolved against its store: the interval (null:
 * only on request), the overlap, and the rotate annotation's value. Pure.
 *
 * @param interval how old the consumers' key may get, or null when rotation is only on request
 * @param overlap how long the previous key stays valid after the Secret holds the new one
 * @param token the value of the rotate annotation, or null
 * @param minRequestInterval the least time from a rotation to one the annotation asks for (the
 *     store's {@code rotation.minRequestInterval})
 */
public record RotationPolicy(
    Duration interval, Duration overlap, String token, Duration minRequestInterval) {

  /** With the default spacing of requests. */
  public RotationPolicy(Duration interval, Duration overlap, String token) {
    this(interval, overlap, token, Durations.DEFAULT_MIN_REQUEST_INTERVAL);
  }

  /** Nothing asked: keys rotate only on request (the default). */
  public static final RotationPolicy NONE =
      new RotationPolicy(null, Durations.DEFAULT_OVERLAP, null);

  /**
   * MinIO refuses a service account that expires more than 365 days out; a day less leaves room for
   * clocks.
   */
  public static final Duration MAX_KEY_LIFETIME = Duration.ofDays(364);

  /**
   * The integration's rotation.
   *
   * @param problems where spec problems are added (InvalidSpec before any write)
   */
  public static RotationPolicy of(
      S3Integration resource, StoreRotation store, boolean managed, List<String> problems) {
    RotationSpec spec = resource.getSpec().getRotation();
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    String token =
        RequestToken.of(annotations == null ? null : annotations.get(ApiGroup.ROTATE_ANNOTATION));
    if (!managed) {
      if (spec != null) {
        problems.add(
            "rotation needs credentials.managed: the operator cannot rotate keys it did not issue;"
                + " rotate your own keys in the Secret named by credentials.secretRef");
      }
      return NONE;
    }
    Duration max =
        parse(
            store == null ? null : store.getMaxInterval(), "store rotation.maxInterval", problems);
    Duration interval =
        spec != null && spec.getInterval() != null
            ? parse(spec.getInterval(), "rotation.interval", problems)
            : parse(
                store == null ? null : store.getDefaultInterval(),
                "store rotation.defaultInterval",
                problems);
    if (interval == null) {
      interval = max;
    }
    if (interval != null
        && (interval.compareTo(Durations.MIN_ROTATION) < 0
            || interval.compareTo(Durations.MAX_ROTATION) > 0)) {
      problems.add(
          "rotation.interval must be between "
              + Durations.MIN_ROTATION.toHours()
              + "h and "
              + Durations.MAX_ROTATION.toDays()
              + "d");
    }
    if (interval != null && max != null && interval.compareTo(max) > 0) {
      problems.add(
          "rotation.interval is longer than the store allows (rotation.maxInterval "
              + store.getMaxInterval()
              + ")");
    }
    Duration overlap =
        spec != null && spec.getOverlap() != null
            ? parse(spec.getOverlap(), "rotation.overlap", problems)
            : Durations.DEFAULT_OVERLAP;
    if (overlap == null) {
      overlap = Durations.DEFAULT_OVERLAP;
    } else if (overlap.compareTo(Durations.MIN_OVERLAP) < 0
        || overlap.compareTo(Durations.MAX_OVERLAP) > 0) {
      problems.add("rotation.overlap must be between 10s and 7d");
    }
    Duration spacing =
        parse(
            store == null ? null : store.getMinRequestInterval(),
            "store rotation.minRequestInterval",
            problems);
    if (spacing == null) {
      spacing = Durations.DEFAULT_MIN_REQUEST_INTERVAL;
    } else if (spacing.compareTo(Durations.MAX_MIN_REQUEST_INTERVAL) > 0) {
      problems.add("store rotation.minRequestInterval must be at most 7d");
    }
    return new RotationPolicy(interval, overlap, token, spacing);
  }

  private static Duration parse(String value, String field, List<String> problems) {
    if (value == null) {
      return null;
    }
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      problems.add(field + " " + e.getMessage());
      return null;
    }
  }

  /**
   * How long the consumers' key may live: the interval, or for a service account rotated only on
   * request, the longest MinIO allows less the overlap (it is rotated before its backstop).
   */
  public Duration lifetime(boolean serviceAccount) {
    if (interval != null) {
      return interval;
    }
    return serviceAccount ? MAX_KEY_LIFETIME.minus(overlap).minusDays(1) : null;
  }

  /** When the record's key is due for rotation, or null when never (on request only). */
  public Instant due(OwnershipRecord record, Instant now) {
    Duration life = lifetime(record.serviceAccount());
    if (life == null) {
      return null;
    }
    return record.keyIssued() == null ? now : record.keyIssued().plus(life);
  }

  /** Whether the rotate annotation carries a value the record has not acted on. */
  public boolean requested(OwnershipRecord record) {
    return token != null && !token.equals(record.rotateToken());
  }

  /**
   * The earliest a requested rotation may be acted on: {@code minRequestInterval} after the key
   * consumers hold was issued by a rotation; null when nothing holds a request back (consumers
   * still hold the user's own key, never rotated, or its issue time is not known). A tenant thus
   * issues at most one key per interval, whatever overlap it sets (issue 21, item 15).
   */
  public Instant requestAllowedAt(OwnershipRecord record) {
    if (!record.serviceAccount() || record.keyIssued() == null) {
      return null;
    }
    return record.keyIssued().plus(minRequestInterval);
  }

  /** Whether the rotate annotation asks for a rotation that may be acted on now. */
  public boolean requestDue(OwnershipRecord record, Instant now) {
    Instant allowed = requestAllowedAt(record);
    return requested(record) && (allowed == null || !now.isBefore(allowed));
  }

  /**
   * Until when a request the record has not acted on waits: the end of the running overlap or of
   * the spacing, whichever is later; null when none waits.
   */
  public Instant requestWaitsUntil(OwnershipRecord record) {
    if (!requested(record)) {
      return null;
    }
    Instant until = record.previousKeyId() != null ? record.previousUntil() : null;
    Instant allowed = requestAllowedAt(record);
    if (allowed != null && (until == null || allowed.isAfter(until))) {
      until = allowed;
    }
    return until;
  }

  /**
   * The backstop of a service account issued at {@code issued}: past its rotation and overlap by a
   * day, never more than MinIO's limit.
   */
  public Instant expiration(Instant issued) {
    Duration life = lifetime(true).plus(overlap).plusDays(1);
    return issued.plus(life.compareTo(MAX_KEY_LIFETIME) > 0 ? MAX_KEY_LIFETIME : life);
  }
}
