package dev.integrations.s3.consumer;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ready check: a resolved-config Secret is used only while its S3Integration is Ready (the
 * Ready condition is True for the integration's current generation) and names it in
 * status.secretName (an earlier Secret, before a spec.secretName change, is not used).
 */
public final class IntegrationReadiness {
  private IntegrationReadiness() {}

  /** A check that reads each Secret's owning S3Integration from the cluster. */
  public static ReadinessCheck fromCluster(KubernetesClient client, String namespace) {
    return secret -> whyNotUsable(client, namespace, secret);
  }

  /**
   * Why the integration is not Ready, or empty when it is.
   *
   * @param integration as read from the API server
   */
  public static Optional<String> whyNotReady(S3Integration integration) {
    String name = integration.getMetadata().getName();
    Long generation = integration.getMetadata().getGeneration();
    if (integration.getStatus() == null) {
      return Optional.of("S3Integration " + name + " has no status yet");
    }
    List<Condition> conditions = integration.getStatus().getConditions();
    Condition ready =
        conditions == null
            ? null
            : conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    if (ready == null) {
      return Optional.of("S3Integration " + name + " has no Ready condition");
    }
    if (!"True".equals(ready.getStatus())) {
      return Optional.of(
          "S3Integration "
              + name
              + " is not Ready (Ready="
              + ready.getStatus()
              + (ready.getReason() == null ? "" : ", reason " + ready.getReason())
              + ")");
    }
    Long observed =
        ready.getObservedGeneration() != null
            ? ready.getObservedGeneration()
            : integration.getStatus().getObservedGeneration();
    if (!Objects.equals(observed, generation)) {
      return Optional.of(
          "S3Integration "
              + name
              + " is Ready for generation "
              + observed
              + " but is at generation "
              + generation
              + " (not reconciled yet)");
    }
    return Optional.empty();
  }

  private static Optional<String> whyNotUsable(
      KubernetesClient client, String namespace, Secret secret) {
    OwnerReference owner = owner(secret);
    Map<String, String> labels = secret.getMetadata().getLabels();
    String name =
        owner != null
            ? owner.getName()
            : labels == null ? null : labels.get(ResolverKeys.INTEGRATION_LABEL);
    if (name == null) {
      return Optional.of(
          "names no S3Integration (no owner reference, no "
              + ResolverKeys.INTEGRATION_LABEL
              + " label)");
    }
    S3Integration integration;
    try {
      integration =
          client.resources(S3Integration.class).inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 || e.getCode() == 401) {
        return Optional.of(
            "not allowed to read S3Integration "
                + name
                + " (HTTP "
                + e.getCode()
                + "): grant get on s3integrations."
                + ResolverKeys.API_GROUP
                + ", or switch the ready check off");
      }
      throw e;
    }
    if (integration == null) {
      return Optional.of("its S3Integration " + name + " does not exist");
    }
    if (owner != null
        && owner.getUid() != null
        && integration.getMetadata().getUid() != null
        && !owner.getUid().equals(integration.getMetadata().getUid())) {
      return Optional.of("it belongs to an earlier S3Integration " + name + " (owner UID differs)");
    }
    String current =
        integration.getStatus() == null ? null : integration.getStatus().getSecretName();
    if (current != null && !current.equals(secret.getMetadata().getName())) {
      return Optional.of(
          "S3Integration " + name + " writes Secret " + current + " now; this one is superseded");
    }
    return whyNotReady(integration);
  }

  private static OwnerReference owner(Secret secret) {
    List<OwnerReference> refs = secret.getMetadata().getOwnerReferences();
    if (refs == null) {
      return null;
    }
    return refs.stream()
        .filter(r -> ResolverKeys.INTEGRATION_KIND.equals(r.getKind()))
        .filter(
            r ->
                r.getApiVersion() != null
                    && r.getApiVersion().startsWith(ResolverKeys.API_GROUP + "/"))
        .findFirst()
        .orElse(null);
  }
}
