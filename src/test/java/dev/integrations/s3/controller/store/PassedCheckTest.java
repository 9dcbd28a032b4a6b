package dev.integrations.s3.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When a store's passing check still stands (no storage call) and when it is checked again: after
 * the verification interval (10 minutes here) or a spec change.
 */
class PassedCheckTest {
  private static final Duration INTERVAL = Duration.ofMinutes(10);
  private static final long AT = 1_000_000_000L;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # case                         | passed at generation | generation now | age s | stands s
          no check has passed            | -                    | 1              | 0     | -
          same spec, just checked        | 1                    | 1              | 0     | 600
          same spec, within the interval | 1                    | 1              | 90    | 510
          same spec, one second left     | 1                    | 1              | 599   | 1
          same spec, interval over       | 1                    | 1              | 600   | -
          same spec, long past           | 1                    | 1              | 3600  | -
          spec changed                   | 1                    | 2              | 1     | -
          no generation either time      | none                 | none           | 1     | 599
          a generation where none was    | none                 | 1              | 1     | -
          """)
  void standsUntilTheIntervalOrASpecChange(
      String name, String passedAt, String now, long ageSeconds, Long standsSeconds) {
    PassedCheck last = passedAt == null ? null : new PassedCheck(generation(passedAt), AT);

    Optional<Duration> stands =
        PassedCheck.standsFor(
            last, generation(now), INTERVAL, AT + Duration.ofSeconds(ageSeconds).toNanos());

    assertThat(stands).isEqualTo(Optional.ofNullable(standsSeconds).map(Duration::ofSeconds));
  }

  private static Long generation(String value) {
    return "none".equals(value) ? null : Long.valueOf(value);
  }
}
