package dev.integrations.s3.controller.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.controller.common.Events;
import dev.integrations.s3.controller.common.Leadership;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.common.TenantBulkhead;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.verify.AccessProber;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an error that reaches the SDK does to status: exactly the step it failed in turns False, and
 * Kubernetes API blips (a 409 on the Secret, a 503) leave Ready as it is.
 */
@EnableKubernetesMockClient(crud = true)
class S3IntegrationErrorStatusMockIT {
  KubernetesClient client;
  S3IntegrationReconciler reconciler;
  S3Integration ready;

  @BeforeEach
  void readyIntegration() {
    Conditions conditions = new Conditions(Clock.systemUTC());
    reconciler =
        new S3IntegrationReconciler(
            OperatorConfig.defaults(),
            conditions,
            new Events(client, Clock.systemUTC()),
            (e, a, s) -> {
              throw new AssertionError("no storage in this test");
            },
            new AccessProber(),
            Clock.systemUTC(),
            new SimpleMeterRegistry(),
            TenantBulkhead.forThreads(10),
            Leadership.always());
    ready = Fixtures.managed("ns", "viz", "minio", "read");
    ready.getMetadata().setGeneration(1L);
    S3IntegrationStatus status = new S3IntegrationStatus();
    List<Condition> list = List.of();
    for (String type : ConditionTypes.INTEGRATION_STEPS) {
      list = conditions.set(list, type, Conditions.TRUE, "Ok", "ok", 1L);
    }
    list = conditions.set(list, ConditionTypes.READY, Conditions.TRUE, Reasons.READY, "ok", 1L);
    status.setConditions(list);
    status.setObservedGeneration(1L);
    ready.setStatus(status);
  }

  static String status(ErrorStatusUpdateControl<S3Integration> c, String type) {
    return c.getResource()
        .flatMap(r -> Conditions.find(r.getStatus().getConditions(), type))
        .map(x -> x.getStatus() + "/" + x.getReason())
        .orElse("unchanged");
  }

  @Test
  void aConflictOnTheSecretLeavesReadyAlone() {
    var control =
        reconciler.updateErrorStatus(
            ready, null, new KubernetesClientException("Operation cannot be fulfilled", 409, null));
    assertThat(control.getResource()).isEmpty();
  }

  @Test
  void anApiServerErrorLeavesReadyAlone() {
    var control =
        reconciler.updateErrorStatus(
            ready,
            null,
            new RuntimeException(new KubernetesClientException("unavailable", 503, null)));
    assertThat(control.getResource()).isEmpty();
  }

  @Test
  void aStorageErrorWhileWritingThePolicyTurnsOnlyPolicyAppliedFalse() {
    StepFailure f =
        StepFailure.of(
            ConditionTypes.POLICY_APPLIED,
            StorageException.serverError("MinIO failed storing policy: 503", null));
    var control = reconciler.updateErrorStatus(ready, null, new RuntimeException(f));
    assertThat(status(control, "CredentialsReady")).isEqualTo("True/Ok");
    assertThat(status(control, "PolicyApplied")).isEqualTo("False/StorageError");
    assertThat(status(control, "AccessVerified")).isEqualTo("Unknown/Pending");
    assertThat(status(control, "Ready")).isEqualTo("False/StorageError");
  }

  @Test
  void aStorageErrorWhileProbingTurnsOnlyAccessVerifiedFalse() {
    StepFailure f =
        StepFailure.of(
            ConditionTypes.ACCESS_VERIFIED,
            StorageException.serverError("ListObjectsV2 answered HTTP 503", null));
    var control = reconciler.updateErrorStatus(ready, null, f);
    assertThat(status(control, "CredentialsReady")).isEqualTo("True/Ok");
    assertThat(status(control, "PolicyApplied")).isEqualTo("True/Ok");
    assertThat(status(control, "AccessVerified")).isEqualTo("False/StorageError");
  }

  @Test
  void anUnreachableStorageConcernsTheWholeConnection() {
    StepFailure f =
        StepFailure.of(
            ConditionTypes.CREDENTIALS_READY,
            StorageException.unreachable("cannot connect to http://minio.local:9000", null));
    var control = reconciler.updateErrorStatus(ready, null, f);
    assertThat(status(control, "Ready")).isEqualTo("False/EndpointUnreachable");
    assertThat(status(control, "CredentialsReady")).isEqualTo("Unknown/Pending");
  }

  @Test
  void anythingElseIsAReconcileErrorNamingOnlyItsType() {
    var control =
        reconciler.updateErrorStatus(
            ready, null, new IllegalStateException("key=abc123 must never show"));
    assertThat(status(control, "Ready")).isEqualTo("False/ReconcileError");
    assertThat(
            Conditions.find(
                    control.getResource().orElseThrow().getStatus().getConditions(), "Ready")
                .orElseThrow()
                .getMessage())
        .isEqualTo("reconcile failed (IllegalStateException)");
  }
}
