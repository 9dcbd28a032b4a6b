package dev.integrations.s3.informers;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The operator's Kubernetes client. It reads every object without {@code metadata.managedFields}:
 * the operator never reads them (status, finalizers and its Secrets go out by server-side apply,
 * whose field ownership the server keeps), and with server-side apply they are the largest part of
 * every object its informers cache. The pruned caches ({@code PrunedItemStore}) drop them too, but
 * only where one informer serves all watched namespaces; this covers the informers JOSDK runs per
 * namespace (WATCH_NAMESPACES with several), whose caches cannot be pruned.
 */
public final class OperatorClient {
  private OperatorClient() {}

  /** Serialization that ignores managedFields when reading and writes objects unchanged. */
  @JsonIgnoreProperties(value = "managedFields", allowGetters = true)
  private abstract static class WithoutManagedFields {}

  public static KubernetesSerialization serialization() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.addMixIn(ObjectMeta.class, WithoutManagedFields.class);
    return new KubernetesSerialization(mapper, true);
  }

  /** The client from the usual sources (in-cluster, KUBECONFIG, ~/.kube/config). */
  public static KubernetesClient create() {
    return new KubernetesClientBuilder().withKubernetesSerialization(serialization()).build();
  }

  /** The client for this configuration. */
  public static KubernetesClient create(Config config) {
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withKubernetesSerialization(serialization())
        .build();
  }
}
