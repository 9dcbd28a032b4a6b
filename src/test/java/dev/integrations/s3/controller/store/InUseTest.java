package dev.integrations.s3.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The in-use finalizer keeps a store while any integration counts for it, and says which. */
class InUseTest {

  @ParameterizedTest(name = "{0} user(s)")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # users | message (- = the finalizer goes)
          0       | -
          1       | deletion waits: 1 S3Integration(s) use this store (team-a/app-0); delete them or point them at another store first
          2       | deletion waits: 2 S3Integration(s) use this store (team-a/app-0, team-a/app-1); delete them or point them at another store first
          5       | deletion waits: 5 S3Integration(s) use this store (team-a/app-0, team-a/app-1, team-a/app-2, team-a/app-3, team-a/app-4); delete them or point them at another store first
          6       | deletion waits: 6 S3Integration(s) use this store (team-a/app-0, team-a/app-1, team-a/app-2, team-a/app-3, team-a/app-4, ...); delete them or point them at another store first
          """)
  void keepsTheStoreWhileAnyIntegrationUsesIt(int users, String message) {
    List<S3Integration> using = IntStream.range(0, users).mapToObj(n -> user("app-" + n)).toList();

    assertThat(InUse.keeps(using).orElse(null)).isEqualTo(message);
  }

  @Test
  void aKeptStoreIsLookedAtAgainWithinTwoMinutes() {
    assertThat(InUse.IN_USE_WAIT).isEqualTo(Duration.ofMinutes(2));
  }

  private static S3Integration user(String name) {
    S3Integration i = new S3Integration();
    i.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName(name).build());
    return i;
  }
}
