package dev.integrations.s3.api.v1alpha1;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /** Shortest verification interval: a full probe per integration at most once a minute. */
  public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);

  /** Longest verification interval: access is proven at least once a day. */
  public static final Duration MAX_INTERVAL = Duration.ofHours(24);

  /** The CEL rule bounding an interval field (duration() fails on overflow: rejected too). */
  public static final String INTERVAL_RULE =
      "duration(self) >= duration('1m') && duration(self) <= duration('24h')";

  public static final String INTERVAL_MESSAGE = "must be between 1m and 24h";

  private static final Pattern WHOLE = Pattern.compile("([0-9]+[smhd])+");
  private static final Pattern PART = Pattern.compile("([0-9]+)([smhd])");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException naming the value when it is not in the format or is too long
   *     to represent
   */
  public static Duration parse(String text) {
    String v = text == null ? "" : text.trim();
    if (!WHOLE.matcher(v).matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a duration such as 30s, 10m or 1h30m");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(v);
    try {
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        long seconds =
            switch (m.group(2)) {
              case "s" -> n;
              case "m" -> Math.multiplyExact(n, 60L);
              case "h" -> Math.multiplyExact(n, 3_600L);
              default -> Math.multiplyExact(n, 86_400L);
            };
        total = total.plusSeconds(seconds);
      }
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("\"" + text + "\" is too long a duration");
    }
    return total;
  }
}
