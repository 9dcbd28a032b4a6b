package dev.integrations.s3.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.StoreStatus;
import dev.integrations.s3.controller.store.StatusWrite.When;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which status writes happen, and when: an unchanged status is not written, any other change at
 * once, and a change of the count alone at most every {@link StatusWrite#COUNT_WRITE_SPACING} (5
 * s).
 */
class StatusWriteTest {
  private static final long NOW = 100_000_000_000L;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # case                                   | what differs | last count write s ago | when        | delay ms
          nothing differs                          | nothing      | -                      | UNCHANGED   | 0
          nothing differs, a count written just now| nothing      | 0                      | UNCHANGED   | 0
          Ready changed                            | ready        | -                      | NOW         | 0
          Ready changed, a count written just now  | ready        | 0                      | NOW         | 0
          the endpoint changed                     | endpoint     | 1                      | NOW         | 0
          the generation changed                   | generation   | 1                      | NOW         | 0
          count and Ready changed                  | count+ready  | 1                      | NOW         | 0
          count only, never written before         | count        | -                      | COUNT_NOW   | 0
          count only, written 1 s ago              | count        | 1                      | COUNT_LATER | 4000
          count only, written 4.5 s ago            | count        | 4.5                    | COUNT_LATER | 500
          count only, written 5 s ago              | count        | 5                      | COUNT_NOW   | 0
          count only, written a minute ago         | count        | 60                     | COUNT_NOW   | 0
          count back to none                       | no-count     | 1                      | COUNT_LATER | 4000
          """)
  void writesAChangedStatusAndACountAtMostEveryFiveSeconds(
      String name, String differs, Double writtenSecondsAgo, When when, long delayMillis) {
    StoreStatus current = status(1L, "http://minio:9000", 3, "True");
    StoreStatus desired =
        switch (differs) {
          case "nothing" -> status(1L, "http://minio:9000", 3, "True");
          case "ready" -> status(1L, "http://minio:9000", 3, "False");
          case "endpoint" -> status(1L, "http://other:9000", 3, "True");
          case "generation" -> status(2L, "http://minio:9000", 3, "True");
          case "count+ready" -> status(1L, "http://minio:9000", 4, "False");
          case "count" -> status(1L, "http://minio:9000", 4, "True");
          case "no-count" -> status(1L, "http://minio:9000", null, "True");
          default -> throw new IllegalArgumentException(differs);
        };
    Long writtenAt =
        writtenSecondsAgo == null ? null : NOW - (long) (writtenSecondsAgo * 1_000_000_000L);

    StatusWrite write = StatusWrite.decide(desired, current, writtenAt, NOW);

    assertThat(write).isEqualTo(new StatusWrite(when, Duration.ofMillis(delayMillis)));
  }

  private static StoreStatus status(Long generation, String url, Integer count, String ready) {
    StoreStatus s = new StoreStatus();
    s.setObservedGeneration(generation);
    s.setEndpointURL(url);
    s.setIntegrations(count);
    Condition c =
        new ConditionBuilder()
            .withType("Ready")
            .withStatus(ready)
            .withReason("True".equals(ready) ? "AdminReady" : "EndpointUnreachable")
            .withObservedGeneration(generation)
            .withLastTransitionTime("2026-01-01T00:00:00Z")
            .build();
    s.setConditions(List.of(c));
    return s;
  }
}
