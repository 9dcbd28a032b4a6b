package dev.integrations.s3.informers;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.function.Consumer;

/**
 * An informer cache that drops {@code metadata.managedFields} from what it keeps, and whatever else
 * its pruner drops. The operator never reads managedFields of what these caches hold (status and
 * finalizers go out as patches; an update that omits managedFields leaves the server's as they
 * are), and they were the largest part of the heap: with server-side apply every object carries a
 * tree of field paths per manager ({@code scripts/bench}, histogram at 2,000 integrations: 14,657
 * ManagedFieldsEntry and 311,000 LinkedHashMaps).
 *
 * <p>The pruner changes the object the informer has just read, before it is cached and handed to
 * the event handlers: only an informer whose handlers and readers need no more than what is left
 * may use one.
 */
public final class PrunedItemStore<V extends HasMetadata> extends BasicItemStore<V> {
  private final Consumer<V> pruner;

  public PrunedItemStore() {
    this(Interning::metadata);
  }

  /** The integration controller's cache: whole integrations, with their common strings shared. */
  public static PrunedItemStore<S3Integration> integrations() {
    return new PrunedItemStore<>(Interning::integration);
  }

  /**
   * The integration controller's copy of the S3AccessPolicies: what the rendered document needs
   * (the spec) and what the informer and its filter need (name, namespace, uid, resourceVersion,
   * generation, deletion mark); without status, labels, annotations and owners. The policy
   * controller's own cache keeps the whole policy (it writes the status); this is the second copy,
   * and its status held the rendered document again (up to 20 KiB) and kubectl's
   * last-applied-configuration annotation the spec again. Sharing one cache between the two
   * controllers is not something JOSDK offers: each controller's event sources are its own.
   */
  public static PrunedItemStore<S3AccessPolicy> policiesForIntegrations() {
    return new PrunedItemStore<>(
        p -> {
          p.setStatus(null);
          if (p.getMetadata() != null) {
            // empty, never null: JOSDK's event source reads the annotations of every event
            p.getMetadata().setAnnotations(new java.util.HashMap<>());
            p.getMetadata().setLabels(new java.util.HashMap<>());
            p.getMetadata().setOwnerReferences(new java.util.ArrayList<>());
          }
          Interning.metadata(p);
        });
  }

  /**
   * The output Secrets' cache: with their data only when an S3Integration controls them (issue 21,
   * item 5). The informer selects on the operator's labels, which anyone who may write a Secret can
   * set: 400 such Secrets of 1 MiB were 400 MiB of a 384 MiB heap. Without a controller reference
   * to an S3Integration the operator never reads the data (such a Secret is someone else's: a
   * conflict, or nothing of ours), so only its metadata is kept.
   */
  public static PrunedItemStore<Secret> outputSecrets() {
    return new PrunedItemStore<>(
        s -> {
          if (!controlledByIntegration(s)) {
            s.setData(null);
            s.setStringData(null);
          }
          Interning.secret(s);
        });
  }

  /** The trust store ConfigMaps' cache: with data only when an S3Integration controls them. */
  public static PrunedItemStore<ConfigMap> trustStores() {
    return new PrunedItemStore<>(
        c -> {
          if (!controlledByIntegration(c)) {
            c.setData(null);
            c.setBinaryData(null);
          }
          Interning.metadata(c);
        });
  }

  /**
   * Whether the object has a controller owner reference to an S3Integration of this API group (any
   * version), as the operator writes on what it owns. A tenant can write one too, but only to an
   * S3Integration of the same namespace: one naming a UID that does not exist is deleted by the
   * garbage collector.
   */
  static boolean controlledByIntegration(HasMetadata o) {
    return o.getMetadata() != null
        && o.getMetadata().getOwnerReferences() != null
        && o.getMetadata().getOwnerReferences().stream()
            .anyMatch(
                r ->
                    Boolean.TRUE.equals(r.getController())
                        && "S3Integration".equals(r.getKind())
                        && r.getApiVersion() != null
                        && r.getApiVersion().startsWith(ApiGroup.GROUP + "/"));
  }

  /**
   * {@code store}'s result when the informer it is for runs alone, else null (fabric8's own store
   * in each informer). JOSDK runs one informer per namespace when an informer spans several (the
   * operator's WATCH_NAMESPACES), and hands every one of them the configured ItemStore instance:
   * shared, each informer would list the others' objects as its own (so the cache holds every
   * object once per namespace) and, when it lists again, remove them.
   *
   * @param namespaces the informer's namespaces: empty, or JOSDK's all-namespaces marker, when it
   *     is one informer over all of them
   */
  public static <V extends HasMetadata> PrunedItemStore<V> ifOneInformer(
      java.util.Set<String> namespaces, java.util.function.Supplier<PrunedItemStore<V>> store) {
    return namespaces.size() <= 1 ? store.get() : null;
  }

  public PrunedItemStore(Consumer<V> pruner) {
    super(Cache::metaNamespaceKeyFunc);
    this.pruner = pruner;
  }

  @Override
  public V put(String key, V obj) {
    if (obj.getMetadata() != null) {
      obj.getMetadata().setManagedFields(null);
    }
    pruner.accept(obj);
    return super.put(key, obj);
  }
}
