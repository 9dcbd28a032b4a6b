package dev.integrations.s3.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Map;
import java.util.Objects;

/**
 * The labels of every namespace, for a controller that decides by them (a ClusterS3Store serves the
 * namespaces its rules' selectors match): one cluster-wide informer of Namespaces, metadata only
 * interned and without managedFields. Namespaces are few (hundreds, not the integrations'
 * thousands), so a cache of them is the cheap way to answer "does this store serve that namespace"
 * without a read per integration. Only a change of labels wakes anything.
 *
 * @param <P> the controller's primary
 */
public final class NamespaceLabels<P extends HasMetadata> {
  private final InformerEventSource<Namespace, P> informer;

  private NamespaceLabels(InformerEventSource<Namespace, P> informer) {
    this.informer = informer;
  }

  /**
   * @param name the event source's name
   * @param wakes the primaries whose decision a namespace's new labels may change
   */
  public static <P extends HasMetadata> NamespaceLabels<P> create(
      EventSourceContext<P> context,
      Class<P> primaryType,
      String name,
      SecondaryToPrimaryMapper<Namespace> wakes) {
    return new NamespaceLabels<>(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Namespace.class, primaryType)
                .withName(name)
                .withItemStore(new PrunedItemStore<>())
                .withNamespaces(Constants.DEFAULT_NAMESPACES_SET)
                // a new namespace holds no integration yet: nothing to recount
                .withOnAddFilter(n -> false)
                .withOnUpdateFilter(
                    (n, o) ->
                        !Objects.equals(n.getMetadata().getLabels(), o.getMetadata().getLabels()))
                .withSecondaryToPrimaryMapper(wakes)
                .build(),
            context));
  }

  /** The namespace's labels; empty when it has none or is not (any more) in the cache. */
  public Map<String, String> of(String namespace) {
    return informer
        .get(new ResourceID(namespace))
        .map(n -> n.getMetadata().getLabels())
        .filter(Objects::nonNull)
        .orElse(Map.of());
  }

  /** The event source to register. */
  public EventSource<?, P> eventSource() {
    return informer;
  }
}
