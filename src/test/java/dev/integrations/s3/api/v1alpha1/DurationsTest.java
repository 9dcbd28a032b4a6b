package dev.integrations.s3.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesEveryUnitAndSums() {
    assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("90d")).isEqualTo(Duration.ofDays(90));
    assertThat(Durations.parse(" 1d2h3m4s ")).isEqualTo(Duration.parse("P1DT2H3M4S"));
    assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
  }

  @Test
  void refusesWhatIsNotADuration() {
    for (String bad :
        new String[] {"", " ", "10", "m", "10 m", "10x", "1h30", "-1m", "1.5h", "１m"}) {
      assertThatThrownBy(() -> Durations.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a duration such as 30s, 10m or 1h30m");
    }
    assertThatThrownBy(() -> Durations.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesDurationsTooLongToRepresent() {
    assertThatThrownBy(() -> Durations.parse("99999999999999999999s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is too long a duration");
    assertThatThrownBy(() -> Durations.parse("999999999999999999d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is too long a duration");
  }

  /**
   * "1s" repeated 5,000 times overflowed the stack of the regular expression that checked the form
   * (a repeated group recursed once per repetition): a StackOverflowError that JOSDK does not
   * catch, so the resource was never reconciled again. Now it is a plain, short refusal.
   */
  @Test
  void aHugeRepetitionIsRefusedQuicklyWithAShortMessage() {
    String huge = "1s".repeat(5_000);
    assertThatThrownBy(() -> Durations.parse(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is longer than 32 characters")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(120));
    assertThat(Durations.parse("1s".repeat(16))).isEqualTo(Duration.ofSeconds(16));
  }
}
