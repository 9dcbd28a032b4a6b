package dev.integrations.s3;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer cache that drops {@code metadata.managedFields} from what it keeps. The operator
 * never reads them for its primaries (status and finalizers go out as patches; an update that omits
 * managedFields leaves the server's as they are), and they were the largest part of the cache: with
 * server-side apply every object carries a tree of field paths per manager, about a third of the
 * live heap with 2,000 integrations ({@code scripts/bench}, histogram: 21,394 ManagedFieldsEntry
 * and their 400,000 LinkedHashMaps).
 */
public final class PrunedItemStore<V extends HasMetadata> extends BasicItemStore<V> {
  public PrunedItemStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public V put(String key, V obj) {
    if (obj.getMetadata() != null) {
      obj.getMetadata().setManagedFields(null);
    }
    return super.put(key, obj);
  }
}
