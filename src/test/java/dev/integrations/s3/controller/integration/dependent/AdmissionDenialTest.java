package dev.integrations.s3.controller.integration.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.controller.common.StepFailure;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/**
 * A write the API server's admission refuses says who refused it (the policy and binding, or the
 * webhook), never the refusal's message, which a third party's policy may fill with the object's
 * data: the object is a Secret.
 */
class AdmissionDenialTest {

  private static String statusMessage(String apiServerMessage) {
    Status status =
        new StatusBuilder()
            .withCode(403)
            .withReason("Forbidden")
            .withMessage(apiServerMessage)
            .build();
    RuntimeException r =
        OutputSecretContent.refused("viz-s3", new KubernetesClientException(status));
    assertThat(r).isInstanceOf(StepFailure.class);
    return r.getMessage();
  }

  @Test
  void aValidatingAdmissionPolicyIsNamedWithItsBinding() {
    String m =
        statusMessage(
            "secrets \"viz-s3\" is forbidden: ValidatingAdmissionPolicy"
                + " 's3io-s3-integration-operator-secrets' with binding"
                + " 's3io-s3-integration-operator-secrets' denied request: the operator may"
                + " update only Secrets that are already its own");
    assertThat(m)
        .contains("HTTP 403 Forbidden")
        .contains(
            "denied by ValidatingAdmissionPolicy s3io-s3-integration-operator-secrets, binding"
                + " s3io-s3-integration-operator-secrets")
        .doesNotContain("already its own");
  }

  @Test
  void aWebhookIsNamedButItsMessageNeverRepeated() {
    String m =
        statusMessage(
            "admission webhook \"validate.kyverno.svc-fail\" denied the request: data"
                + " AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG must not be set");
    assertThat(m)
        .contains("denied by admission webhook validate.kyverno.svc-fail")
        .doesNotContain("wJalr")
        .doesNotContain("AWS_SECRET_ACCESS_KEY");
  }

  @Test
  void anyOtherRefusalNamesNoOne() {
    assertThat(statusMessage("secrets \"viz-s3\" is forbidden: User cannot update"))
        .doesNotContain("denied by")
        .doesNotContain("User cannot");
    assertThat(statusMessage(null)).doesNotContain("denied by");
  }
}
