package dev.integrations.s3.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The namespaces a controller watches and the cache of its primary resources: a {@link
 * PrunedItemStore}, without managedFields (the operator never reads them; with server-side apply
 * they are the largest part of every cached object), when one informer serves them all (see {@link
 * PrunedItemStore#ifOneInformer}); fabric8's own store in each informer otherwise, where the client
 * ({@link OperatorClient}) has already dropped managedFields.
 */
public final class PrimaryCaches {
  private PrimaryCaches() {}

  /**
   * @param namespaces the watched namespaces; empty means all (one informer for the cluster, as a
   *     cluster-scoped kind needs whatever namespaces the operator watches)
   * @param cache the pruned cache for one informer
   */
  public static <R extends HasMetadata> Consumer<ControllerConfigurationOverrider<R>> watching(
      Set<String> namespaces, Supplier<PrunedItemStore<R>> cache) {
    return o -> {
      if (namespaces.isEmpty()) {
        o.watchingAllNamespaces();
      } else {
        o.settingNamespaces(namespaces);
      }
      PrunedItemStore<R> store = PrunedItemStore.ifOneInformer(namespaces, cache);
      if (store != null) {
        o.withItemStore(store);
      }
    };
  }
}
