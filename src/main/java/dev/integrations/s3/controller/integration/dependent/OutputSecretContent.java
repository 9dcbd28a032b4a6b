package dev.integrations.s3.controller.integration.dependent;

import static dev.integrations.s3.status.ConditionTypes.SECRET_READY;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.controller.common.Failures;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.common.StorageConnections;
import dev.integrations.s3.controller.integration.plan.Decision;
import dev.integrations.s3.controller.integration.plan.IntegrationModel;
import dev.integrations.s3.secret.ResolvedConfig;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.status.Reasons;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The desired output Secret of a plan, and what a refused write of it means. */
public final class OutputSecretContent {
  private OutputSecretContent() {}

  /** The Secret the plan asks for: the resolved configuration with the plan's keys. */
  public static Secret build(
      S3Integration resource,
      IntegrationModel model,
      StorageConnections.Connection connection,
      Decision.Plan plan,
      String mountPath) {
    var store = model.store().spec();
    ResolvedConfig config =
        new ResolvedConfig(
            plan.accessKey(),
            plan.secretKey(),
            connection.endpoint().url(),
            connection.endpoint().region(),
            store.getEndpoint(),
            store.getPort(),
            connection.endpoint().virtualHostStyle() ? "virtual" : "path",
            model.access().bucket(),
            connection.caPem(),
            store.getPublicEndpoint(),
            mountPath);
    return ResolvedConfigSecret.build(resource, model.secretName(), config, Map.of());
  }

  /**
   * A write the API server refused. Transient answers (conflict, throttling, server error) are
   * passed on to be retried without touching Ready; anything else (forbidden, invalid) ends in
   * SecretReady=False with the HTTP status and the fields named, never the values.
   */
  public static RuntimeException refused(String secretName, KubernetesClientException e) {
    return refused("Secret", secretName, e);
  }

  /** The same for another kind the integration writes beside its Secret. */
  public static RuntimeException refused(String kind, String name, KubernetesClientException e) {
    if (Failures.isControlPlaneBlip(e)) {
      return e;
    }
    StatusDetails details = e.getStatus() == null ? null : e.getStatus().getDetails();
    String fields =
        details == null || details.getCauses() == null || details.getCauses().isEmpty()
            ? ""
            : " (fields: "
                + String.join(
                    ", ",
                    details.getCauses().stream()
                        .map(c -> c.getField() == null ? "?" : c.getField())
                        .distinct()
                        .toList())
                + ")";
    String reason = e.getStatus() == null ? null : e.getStatus().getReason();
    String deniedBy = e.getStatus() == null ? "" : deniedBy(e.getStatus().getMessage());
    return StepFailure.permanent(
        SECRET_READY,
        Reasons.SECRET_WRITE_FAILED,
        "the API server refused to write "
            + kind
            + " \""
            + name
            + "\": HTTP "
            + e.getCode()
            + (reason == null ? "" : " " + reason)
            + fields
            + deniedBy);
  }

  /**
   * The API server's own words for an admission refusal, whose names (never its message) say who
   * refused: a ValidatingAdmissionPolicy and its binding (the chart's narrow the operator's writes)
   * or a webhook. The message itself is not passed on: a third party's policy may quote the object,
   * and the object here is a Secret.
   */
  private static final Pattern ADMISSION_DENIAL =
      Pattern.compile(
          "(?:^|: )(?:ValidatingAdmissionPolicy '([a-z0-9.-]{1,253})' with binding '([a-z0-9.-]{1,253})'"
              + " denied request|admission webhook \"([a-z0-9.-]{1,253})\" denied the request)");

  /** {@code " (denied by ...)"} for an admission refusal, or "". */
  static String deniedBy(String message) {
    if (message == null) {
      return "";
    }
    Matcher m = ADMISSION_DENIAL.matcher(message);
    if (!m.find()) {
      return "";
    }
    return m.group(1) != null
        ? " (denied by ValidatingAdmissionPolicy " + m.group(1) + ", binding " + m.group(2) + ")"
        : " (denied by admission webhook " + m.group(3) + ")";
  }
}
