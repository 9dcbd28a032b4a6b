package dev.integrations.s3.reconciler;

import dev.integrations.s3.api.v1alpha1.PolicyRef;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationSpec;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What makes an S3Integration reconcile, besides its own changes: its S3AccessPolicies (an
 * informer, mapped through an index of references), its output Secret (the dependent's informer,
 * label-selected), the Secrets it is pointed at ({@link InputSecretWatch}, nothing cached) and its
 * namespace peers for the scope rule.
 */
final class IntegrationEventSources {
  static final String POLICY_INDEX = "policy-refs";
  static final String INPUT_SECRET_INDEX = "input-secret-refs";
  static final String NAMESPACE_INDEX = Cache.NAMESPACE_INDEX;

  private final IndexerResourceCache<S3Integration> primaries;
  private final InformerEventSource<S3AccessPolicy, S3Integration> policies;
  private final List<EventSource<?, S3Integration>> all;

  IntegrationEventSources(
      EventSourceContext<S3Integration> context,
      OutputSecretDependent outputSecrets,
      Set<String> watchedNamespaces) {
    primaries = context.getPrimaryCache();
    primaries.addIndexer(POLICY_INDEX, IntegrationEventSources::policyKeys);
    primaries.addIndexer(INPUT_SECRET_INDEX, IntegrationEventSources::inputSecretKeys);

    policies =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(S3AccessPolicy.class, S3Integration.class)
                .withName("policies")
                .withSecondaryToPrimaryMapper(p -> referencing(POLICY_INDEX, key(p.getMetadata())))
                .withPrimaryToSecondaryMapper(
                    (S3Integration i) ->
                        policyKeys(i).stream()
                            .map(IntegrationEventSources::id)
                            .collect(Collectors.toSet()))
                .build(),
            context);

    InputSecretWatch inputs =
        new InputSecretWatch(
            context.getClient(),
            watchedNamespaces,
            key -> referencing(INPUT_SECRET_INDEX, key),
            () ->
                primaries
                    .list()
                    .filter(i -> !inputSecretKeys(i).isEmpty())
                    .map(ResourceID::fromResource)
                    .collect(Collectors.toSet()));

    // Scope conflicts: another integration of the namespace appearing, changing its spec or going
    // away can resolve (or cause) a conflict, so it re-triggers its peers.
    InformerEventSource<S3Integration, S3Integration> peers =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(S3Integration.class, S3Integration.class)
                .withName("peers")
                .withOnUpdateFilter(
                    (n, o) ->
                        !Objects.equals(
                                n.getMetadata().getGeneration(), o.getMetadata().getGeneration())
                            || !Objects.equals(
                                n.getMetadata().getDeletionTimestamp(),
                                o.getMetadata().getDeletionTimestamp()))
                .withSecondaryToPrimaryMapper(
                    i ->
                        peers(i).stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(),
            context);
    all = List.of(policies, outputSecrets.informer(context), inputs, peers);
  }

  List<EventSource<?, S3Integration>> all() {
    return all;
  }

  /** The S3AccessPolicy of that name in the integration's namespace, from the informer. */
  Optional<S3AccessPolicy> policy(S3Integration owner, String name) {
    return policies.get(new ResourceID(name, owner.getMetadata().getNamespace()));
  }

  /** The other integrations of the namespace. */
  List<S3Integration> peers(S3Integration i) {
    return primaries.byIndex(NAMESPACE_INDEX, i.getMetadata().getNamespace()).stream()
        .filter(p -> !Objects.equals(p.getMetadata().getUid(), i.getMetadata().getUid()))
        .toList();
  }

  private Set<ResourceID> referencing(String index, String key) {
    return primaries.byIndex(index, key).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  static List<String> policyKeys(S3Integration i) {
    if (i.getSpec() == null || i.getSpec().getAccessPolicyRefs() == null) {
      return List.of();
    }
    return i.getSpec().getAccessPolicyRefs().stream()
        .map(PolicyRef::getName)
        .filter(Objects::nonNull)
        .map(n -> i.getMetadata().getNamespace() + "/" + n)
        .distinct()
        .toList();
  }

  /** The Secrets an integration is pointed at: admin or given keys, and the CA. */
  static List<String> inputSecretKeys(S3Integration i) {
    S3IntegrationSpec s = i.getSpec();
    if (s == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    if (s.getCredentials() != null) {
      if (s.getCredentials().getManaged() != null
          && s.getCredentials().getManaged().getAdminSecretRef() != null) {
        names.add(s.getCredentials().getManaged().getAdminSecretRef().getName());
      }
      if (s.getCredentials().getSecretRef() != null) {
        names.add(s.getCredentials().getSecretRef().getName());
      }
    }
    if (s.getTls() != null && s.getTls().getCaSecretRef() != null) {
      names.add(s.getTls().getCaSecretRef().getName());
    }
    return names.stream()
        .filter(Objects::nonNull)
        .map(n -> i.getMetadata().getNamespace() + "/" + n)
        .distinct()
        .toList();
  }

  private static String key(io.fabric8.kubernetes.api.model.ObjectMeta m) {
    return m.getNamespace() + "/" + m.getName();
  }

  private static ResourceID id(String key) {
    int slash = key.indexOf('/');
    return new ResourceID(key.substring(slash + 1), key.substring(0, slash));
  }
}
