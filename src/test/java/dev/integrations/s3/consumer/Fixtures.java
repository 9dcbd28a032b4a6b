package dev.integrations.s3.consumer;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.secret.ResolvedConfig;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Resolved-config Secrets exactly as the operator writes them, and their S3Integrations. */
final class Fixtures {
  private Fixtures() {}

  /** An S3Integration object (not stored) with name, namespace and a UID. */
  static S3Integration integration(String namespace, String name) {
    S3Integration i = new S3Integration();
    i.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .withUid(UUID.randomUUID().toString())
            .withGeneration(1L)
            .build());
    return i;
  }

  static ResolvedConfig config(
      String ak, String sk, String endpointUrl, String style, String bucket) {
    return new ResolvedConfig(
        ak,
        sk,
        endpointUrl,
        "us-east-1",
        "storage.example",
        null,
        style,
        bucket,
        null,
        null,
        "/var/run/s3-integration");
  }

  /** The Secret the operator writes for this integration and config. */
  static Secret secret(S3Integration owner, String secretName, ResolvedConfig config) {
    return ResolvedConfigSecret.build(owner, secretName, config, Map.of());
  }

  /**
   * Stores an S3Integration in the (mock) API server with a Ready condition of this status for its
   * current generation, or for an older one when {@code stale}; returns it as stored.
   */
  static S3Integration store(
      KubernetesClient client, String namespace, String name, String ready, boolean stale) {
    S3Integration i = new S3Integration();
    i.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    S3Integration created = client.resource(i).create();
    Long generation = created.getMetadata().getGeneration();
    long observed = (generation == null ? 1L : generation) - (stale ? 1 : 0);
    S3IntegrationStatus status = new S3IntegrationStatus();
    status.setObservedGeneration(observed);
    Condition c =
        new ConditionBuilder()
            .withType("Ready")
            .withStatus(ready)
            .withReason("True".equals(ready) ? "Ready" : "AccessDenied")
            .withMessage("test")
            .withObservedGeneration(observed)
            .withLastTransitionTime(Instant.now().toString())
            .build();
    status.setConditions(List.of(c));
    created.setStatus(status);
    return client.resource(created).updateStatus();
  }
}
