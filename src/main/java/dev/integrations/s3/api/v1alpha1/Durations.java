package dev.integrations.s3.api.v1alpha1;

import java.time.Duration;

/**
 * The duration format of this API ({@code verification.interval}, the operator's settings, the
 * resolver's expiry): one or more {@code <n>s}, {@code <n>m}, {@code <n>h} or {@code <n>d}, such as
 * {@code 90s}, {@code 10m} or {@code 1h30m}. One parser for all of them, overflow-safe: a value too
 * large for a {@link Duration} is an error, never an exception from deep inside a reconcile.
 */
public final class Durations {
  /** The form a CRD field accepts (no days there: intervals are given in hours at most). */
  public static final String CRD_PATTERN = "^([0-9]+(s|m|h))+$";

  /** The form of rotation durations, which may be given in days ({@code 90d}). */
  public static final String LONG_PATTERN = "^([0-9]+(s|m|h|d))+$";

  /**
   * Rotation interval bounds: not more often than hourly; at most 350 days, so that a key, its
   * overlap and a day of slack stay within MinIO's 365-day limit on service accounts.
   */
  public static final Duration MIN_ROTATION = Duration.ofHours(1);

  public static final Duration MAX_ROTATION = Duration.ofDays(350);

  /** Overlap bounds: long enough for consumers to reload, short enough to matter. */
  public static final Duration MIN_OVERLAP = Duration.ofSeconds(10);

  public static final Duration MAX_OVERLAP = Duration.ofDays(7);

  public static final Duration DEFAULT_OVERLAP = Duration.ofHours(1);

  /**
   * Spacing of requested rotations (a store's {@code rotation.minRequestInterval}): by default a
   * tenant's rotate annotation issues at most one key per 10 minutes, not one per 10 s overlap.
   */
  public static final Duration DEFAULT_MIN_REQUEST_INTERVAL = Duration.ofMinutes(10);

  public static final Duration MAX_MIN_REQUEST_INTERVAL = Duration.ofDays(7);

  /** Shortest verification interval: a full probe per integration at most once a minute. */
  public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);

  /** Longest verification interval: access is proven at least once a day. */
  public static final Duration MAX_INTERVAL = Duration.ofHours(24);

  /** The CEL rule bounding an interval field (duration() fails on overflow: rejected too). */
  public static final String INTERVAL_RULE =
      "duration(self) >= duration('1m') && duration(self) <= duration('24h')";

  public static final String INTERVAL_MESSAGE = "must be between 1m and 24h";

  /**
   * The longest duration text accepted, by the CRD fields ({@code maxLength}) and by the parser:
   * {@code 1h30m} is 5 characters; 32 leaves room for any sensible spelling and keeps a tenant's
   * value out of the operator's regex engine and out of long status messages.
   */
  public static final int MAX_LENGTH = 32;

  private Durations() {}

  /**
   * Parses a duration, in one pass over at most {@link #MAX_LENGTH} characters (no regular
   * expression: a repeated group recursed once per repetition, and 5,000 repetitions overflowed the
   * reconcile thread's stack).
   *
   * @throws IllegalArgumentException naming the value (cut to {@link #MAX_LENGTH} characters) when
   *     it is not in the format, longer than that, or too long a duration to represent
   */
  public static Duration parse(String text) {
    String v = text == null ? "" : text.trim();
    if (v.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          shown(v) + " is longer than " + MAX_LENGTH + " characters; use a duration such as 10m");
    }
    Duration total = Duration.ZERO;
    int i = 0;
    try {
      do {
        int digits = i;
        while (i < v.length() && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
          i++;
        }
        if (i == digits || i == v.length()) {
          throw notADuration(v);
        }
        long n = Long.parseLong(v, digits, i, 10);
        long seconds =
            switch (v.charAt(i++)) {
              case 's' -> n;
              case 'm' -> Math.multiplyExact(n, 60L);
              case 'h' -> Math.multiplyExact(n, 3_600L);
              case 'd' -> Math.multiplyExact(n, 86_400L);
              default -> throw notADuration(v);
            };
        total = total.plusSeconds(seconds);
      } while (i < v.length());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(shown(v) + " is too long a duration");
    }
    return total;
  }

  private static IllegalArgumentException notADuration(String v) {
    return new IllegalArgumentException(shown(v) + " is not a duration such as 30s, 10m or 1h30m");
  }

  /** The value in quotes, cut to {@link #MAX_LENGTH} characters. */
  private static String shown(String v) {
    return "\""
        + (v.length() > MAX_LENGTH
            ? v.substring(0, MAX_LENGTH) + "...(" + v.length() + " chars)"
            : v)
        + "\"";
  }
}
