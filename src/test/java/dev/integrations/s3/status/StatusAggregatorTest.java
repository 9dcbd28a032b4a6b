package dev.integrations.s3.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
  static final Conditions AT_T0 =
      new Conditions(Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC));
  static final List<String> STEPS = ConditionTypes.INTEGRATION_STEPS;

  static StatusAggregator fresh(long generation) {
    return new StatusAggregator(AT_T0, STEPS, List.of(), generation);
  }

  static Condition find(List<Condition> list, String type) {
    return Conditions.find(list, type).orElseThrow();
  }

  static StatusAggregator allMet(StatusAggregator a) {
    STEPS.forEach(t -> a.met(t, "Ok", t + " ok"));
    return a;
  }

  @Test
  void readyIsTrueOnlyWhenEveryStepHoldsAndComesLastInStepOrder() {
    List<Condition> list = allMet(fresh(2)).conditions("Ready", "all good");
    assertThat(list)
        .extracting(Condition::getType)
        .containsExactly(
            "CredentialsReady", "PolicyApplied", "AccessVerified", "SecretReady", "Ready");
    Condition ready = find(list, "Ready");
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo("Ready");
    assertThat(ready.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void readyCarriesTheFirstStepThatDoesNotHold() {
    StatusAggregator a = allMet(fresh(1));
    a.unmet("AccessVerified", "NoSuchBucket", "bucket \"x\" does not exist");
    a.unmet("SecretReady", "SecretWriteFailed", "later one");
    Condition ready = find(a.conditions("Ready", "all good"), "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("NoSuchBucket");
    assertThat(ready.getMessage()).isEqualTo("bucket \"x\" does not exist");
  }

  @Test
  void aStepMissingOrFromAnOlderGenerationLeavesReadyUnknown() {
    StatusAggregator a = fresh(1);
    a.met("CredentialsReady", "UserReady", "ok");
    Condition missing = find(a.conditions("Ready", "all good"), "Ready");
    assertThat(missing.getStatus()).isEqualTo("Unknown");
    assertThat(missing.getReason()).isEqualTo("Pending");
    assertThat(missing.getMessage()).isEqualTo("PolicyApplied has not been evaluated");

    List<Condition> gen1 = allMet(fresh(1)).conditions("Ready", "all good");
    StatusAggregator gen2 = new StatusAggregator(AT_T0, STEPS, gen1, 2L);
    gen2.met("CredentialsReady", "UserReady", "ok");
    assertThat(find(gen2.conditions("Ready", "all good"), "Ready").getStatus())
        .isEqualTo("Unknown");
  }

  @Test
  void anObstacleAtAStepMakesTheLaterStepsWaitAndReadyFalse() {
    StatusAggregator a = allMet(fresh(1));
    a.blocked("PolicyApplied", "PolicyConflict", "policy is someone else's");
    List<Condition> list = a.conditions("Ready", "all good");
    assertThat(find(list, "CredentialsReady").getStatus()).isEqualTo("True");
    assertThat(find(list, "PolicyApplied").getReason()).isEqualTo("PolicyConflict");
    assertThat(find(list, "AccessVerified").getStatus()).isEqualTo("Unknown");
    assertThat(find(list, "AccessVerified").getMessage())
        .isEqualTo("waiting for PolicyApplied (PolicyConflict)");
    assertThat(find(list, "SecretReady").getStatus()).isEqualTo("Unknown");
    Condition ready = find(list, "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("PolicyConflict");
  }

  @Test
  void anObstacleOfTheWholeResourceMakesEveryStepWait() {
    StatusAggregator a = allMet(fresh(1));
    a.blocked("Ready", "EndpointUnreachable", "cannot connect");
    List<Condition> list = a.conditions("Ready", "all good");
    for (String step : STEPS) {
      assertThat(find(list, step).getStatus()).as(step).isEqualTo("Unknown");
      assertThat(find(list, step).getMessage()).isEqualTo("waiting for EndpointUnreachable");
    }
    assertThat(find(list, "Ready").getReason()).isEqualTo("EndpointUnreachable");
  }

  @Test
  void heldKeepsTheStepsAndMakesReadyUnknown() {
    List<Condition> before = allMet(fresh(1)).conditions("Ready", "all good");
    List<Condition> list =
        new StatusAggregator(AT_T0, STEPS, before, 1L)
            .held("Paused", "paused")
            .conditions("x", "y");
    assertThat(find(list, "CredentialsReady").getStatus()).isEqualTo("True");
    assertThat(find(list, "Ready").getStatus()).isEqualTo("Unknown");
    assertThat(find(list, "Ready").getReason()).isEqualTo("Paused");
  }

  @Test
  void aKindWithoutStepsIsReadyUnlessBlocked() {
    StatusAggregator valid = new StatusAggregator(AT_T0, List.of(), List.of(), 1L);
    assertThat(valid.conditions("Valid", "ok"))
        .singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
    StatusAggregator invalid = new StatusAggregator(AT_T0, List.of(), List.of(), 1L);
    invalid.blocked("Ready", "InvalidSpec", "bad bucket");
    assertThat(invalid.conditions("Valid", "ok"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("InvalidSpec");
            });
  }

  @Test
  void buildingTheSameStateTwiceGivesEqualConditions() {
    List<Condition> first = allMet(fresh(1)).conditions("Ready", "all good");
    Conditions later =
        new Conditions(Clock.fixed(Instant.parse("2026-11-30T11:00:00Z"), ZoneOffset.UTC));
    StatusAggregator again = new StatusAggregator(later, STEPS, first, 1L);
    STEPS.forEach(t -> again.met(t, "Ok", t + " ok"));
    assertThat(again.conditions("Ready", "all good")).isEqualTo(first);
  }
}
