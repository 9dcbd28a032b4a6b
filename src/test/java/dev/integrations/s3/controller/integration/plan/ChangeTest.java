package dev.integrations.s3.controller.integration.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.controller.common.InputSecrets;
import dev.integrations.s3.ownership.OwnershipRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plans are logged at debug: a change that carries a key never prints it. */
class ChangeTest {
  static final String KEY = "must-never-show-0123456789";
  static final Instant AT = Instant.parse("2026-11-30T10:00:00Z");

  @Test
  void changesThatCarryAKeyPrintEverythingButIt() {
    List<Change> changes =
        List.of(
            new Change.CreateUser("u", KEY),
            new Change.ResetUser("u", KEY, "viz-s3"),
            new Change.CreateServiceAccount("u", "S3IKEYID", KEY, AT),
            new Change.ReissueServiceAccount("u", "S3IKEYID", KEY, AT, "viz-s3"));
    for (Change c : changes) {
      assertThat(c.toString()).doesNotContain(KEY).contains("u").contains("<redacted>");
    }
    assertThat(changes.get(3).toString()).contains("S3IKEYID").contains("viz-s3");
  }

  @Test
  void aPlanPrintsNoKeyOfItsOwnOrOfItsChanges() {
    OwnershipRecord record =
        new OwnershipRecord(
            "uid", "team-a", "viz", "ClusterS3Store/s", "team-a.viz", "s3i-team-a.viz", KEY, AT);
    Decision.Plan managed =
        Decision.Plan.managed(
                record, "s3i-team-a.viz", List.of(new Change.CreateUser("team-a.viz", KEY)))
            .withNewKey(true);
    Decision.Plan given =
        Decision.Plan.validateOnly(new InputSecrets.KeyPair("AKIAGIVEN", KEY)).withNewKey(true);
    assertThat(managed.toString()).doesNotContain(KEY).contains("accessKey=team-a.viz");
    assertThat(given.toString()).doesNotContain(KEY).contains("accessKey=AKIAGIVEN");
    // keys swapped in the tenant's Secret: the "access key" is a secret key, and is not printed
    String swapped = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    Decision.Plan swappedPlan =
        Decision.Plan.validateOnly(new InputSecrets.KeyPair(swapped, "AKIAGIVEN"));
    assertThat(swappedPlan.toString()).doesNotContain(swapped).contains("accessKey=<not shown>");
    assertThat(new InputSecrets.KeyPair(swapped, "AKIAGIVEN").toString()).doesNotContain(swapped);
  }
}
