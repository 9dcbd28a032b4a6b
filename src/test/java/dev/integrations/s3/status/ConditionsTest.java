package dev.integrations.s3.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final Instant T1 = Instant.parse("2026-11-22T11:30:00.750Z");

  @Test
  void newConditionGetsTheCurrentTimeInWholeSeconds() {
    List<Condition> list = at(T1).set(List.of(), "Ready", Conditions.TRUE, "Valid", "fine", 3L);
    assertThat(list)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-22T11:30:00Z");
              assertThat(c.getObservedGeneration()).isEqualTo(3L);
              assertThat(c.getReason()).isEqualTo("Valid");
            });
  }

  @Test
  void sameStatusKeepsTheTransitionTimeEvenWhenReasonOrMessageChange() {
    List<Condition> first = at(T0).set(null, "Ready", Conditions.FALSE, "A", "one", 1L);
    List<Condition> second = at(T1).set(first, "Ready", Conditions.FALSE, "B", "two", 2L);
    assertThat(second.get(0).getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
    assertThat(second.get(0).getReason()).isEqualTo("B");
    assertThat(second.get(0).getMessage()).isEqualTo("two");
  }

  @Test
  void flippedStatusGetsANewTransitionTime() {
    List<Condition> first = at(T0).set(null, "Ready", Conditions.FALSE, "A", "one", 1L);
    List<Condition> second = at(T1).set(first, "Ready", Conditions.TRUE, "Valid", "ok", 1L);
    assertThat(second.get(0).getLastTransitionTime()).isEqualTo("2026-11-22T11:30:00Z");
  }

  @Test
  void settingTheSameValuesTwiceGivesAnEqualList() {
    List<Condition> first = at(T0).set(null, "Ready", Conditions.TRUE, "Valid", "ok", 1L);
    List<Condition> again = at(T1).set(first, "Ready", Conditions.TRUE, "Valid", "ok", 1L);
    assertThat(again).isEqualTo(first);
  }

  @Test
  void otherConditionsKeepTheirOrderAndNewOnesAreAppended() {
    Conditions c = at(T0);
    List<Condition> list = c.set(null, "A", Conditions.TRUE, "R", "m", 1L);
    list = c.set(list, "B", Conditions.TRUE, "R", "m", 1L);
    list = c.set(list, "A", Conditions.FALSE, "R2", "m2", 1L);
    assertThat(list).extracting(Condition::getType).containsExactly("A", "B");
    assertThat(Conditions.isTrue(list, "A")).isFalse();
    assertThat(Conditions.isTrue(list, "B")).isTrue();
    assertThat(Conditions.isTrue(list, "C")).isFalse();
  }

  private static Conditions at(Instant t) {
    return new Conditions(Clock.fixed(t, ZoneOffset.UTC));
  }
}
