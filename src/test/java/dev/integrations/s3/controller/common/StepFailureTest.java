package dev.integrations.s3.controller.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageException;
import org.junit.jupiter.api.Test;

class StepFailureTest {
  @Test
  void aTenantNeverReadsTheAdminsAccessKey() {
    StepFailure rejected =
        StepFailure.of(
            ConditionTypes.CREDENTIALS_READY,
            StorageException.adminCredentialsInvalid(
                "MinIO at http://m:9000 rejected the admin credentials (access key \"platform-ak\")"));
    assertThat(rejected.getMessage()).contains("platform-ak"); // the store's status keeps it
    assertThat(rejected.tenantMessage())
        .doesNotContain("platform-ak")
        .contains("the store's admin keys were rejected");

    StepFailure denied =
        StepFailure.of(
            ConditionTypes.CREDENTIALS_READY,
            StorageException.adminAccessDenied("denied to the admin access key \"platform-ak\""));
    assertThat(denied.tenantMessage()).doesNotContain("platform-ak").contains("lack admin rights");
  }

  @Test
  void otherFailuresReadTheSameForTenants() {
    StepFailure f = StepFailure.permanent(ConditionTypes.READY, Reasons.INVALID_SPEC, "bad spec");
    assertThat(f.tenantMessage()).isEqualTo("bad spec");
  }
}
