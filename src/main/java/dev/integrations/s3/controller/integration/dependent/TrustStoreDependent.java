package dev.integrations.s3.controller.integration.dependent;

import static dev.integrations.s3.status.ConditionTypes.SECRET_READY;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.controller.common.Applied;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.integration.plan.IntegrationModel;
import dev.integrations.s3.informers.OwnedFields;
import dev.integrations.s3.informers.PrunedItemStore;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.secret.TrustStore;
import dev.integrations.s3.status.Reasons;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JVM trust store ConfigMap ({@code <secretName>-truststore}, see {@link TrustStore}) beside
 * the output Secret of an integration whose store has a private CA: written with server-side apply
 * like the Secret, owned by the integration, cached by a label-selected informer, deleted when the
 * CA goes or the Secret is renamed. Only ConfigMaps this integration owns are ever changed.
 */
public final class TrustStoreDependent
    extends CRUDKubernetesDependentResource<ConfigMap, S3Integration> {
  private static final String DESIRED = TrustStoreDependent.class.getName() + ".desired";
  private static final String OWNER_INDEX = "owner-uid";

  /**
   * @param namespaces the operator's watched namespaces (empty: all)
   */
  public TrustStoreDependent(java.util.Set<String> namespaces) {
    super(ConfigMap.class, "truststores");
    configureWith(
        new KubernetesDependentResourceConfigBuilder<ConfigMap>()
            .withKubernetesDependentInformerConfig(
                InformerConfiguration.builder(ConfigMap.class)
                    .withName("truststores")
                    .withLabelSelector(OutputSecretDependent.SELECTOR)
                    // no managedFields: OwnedFields matches without them; data only of the
                    // ConfigMaps an integration controls
                    .withItemStore(
                        PrunedItemStore.ifOneInformer(namespaces, PrunedItemStore::trustStores))
                    .build())
            .build());
  }

  /** The informer, created once for the reconciler's event sources. */
  public InformerEventSource<ConfigMap, S3Integration> informer(
      EventSourceContext<S3Integration> context) {
    InformerEventSource<ConfigMap, S3Integration> informer = eventSource(context).orElseThrow();
    informer.addIndexers(Map.of(OWNER_INDEX, OutputSecretDependent::ownerUids));
    return informer;
  }

  /**
   * Makes the integration's trust store ConfigMaps what the CA asks: the one for this Secret when
   * there is a CA, none otherwise (and none for an earlier Secret name).
   *
   * @param caPem the store's CA bundle, or null
   * @param actual what {@link #observe} found before the decision (null: none), so that a ConfigMap
   *     not yet cached is not read by name twice in one reconcile
   * @throws StepFailure SecretWriteFailed when the API server refuses it for good
   */
  public List<Applied> apply(
      S3Integration primary,
      Context<S3Integration> context,
      String secretName,
      String caPem,
      ConfigMap actual) {
    String ns = primary.getMetadata().getNamespace();
    String name = TrustStore.configMapName(secretName);
    List<Applied> results = new ArrayList<>();
    for (ConfigMap mine : owned(primary)) {
      if (caPem == null || !mine.getMetadata().getName().equals(name)) {
        results.add(delete(context, ns, mine.getMetadata().getName()));
      }
    }
    if (caPem == null) {
      return results;
    }
    context
        .managedWorkflowAndDependentResourceContext()
        .put(DESIRED, TrustStore.build(primary, secretName, caPem));
    ReconcileResult<ConfigMap> result;
    try {
      result = reconcile(primary, actual, context);
    } catch (KubernetesClientException e) {
      throw OutputSecretContent.refused("ConfigMap", name, e);
    }
    // As on the Secret (issue 21, item 16): annotations under the operator's prefix that it did
    // not write are removed, so the ConfigMap never tells a reader a lie in the operator's name.
    List<String> forged =
        OutputSecretDependent.forgedAnnotations(
            desired(primary, context), result.getSingleResource().orElse(actual));
    if (!forged.isEmpty()) {
      removeAnnotations(context, ns, name, forged);
      results.add(
          new Applied(
              SECRET_READY,
              Applied.Outcome.UPDATED,
              "SecretWritten",
              "restored ConfigMap "
                  + name
                  + ": removed annotations under "
                  + OwnedFields.OUR_PREFIX
                  + " the operator did not write ("
                  + String.join(", ", forged)
                  + ")"));
      return results;
    }
    switch (result.getSingleOperation()) {
      case CREATED ->
          results.add(
              new Applied(
                  SECRET_READY,
                  Applied.Outcome.CREATED,
                  "SecretWritten",
                  "created ConfigMap " + name + " (JVM trust store)"));
      case UPDATED ->
          results.add(
              new Applied(
                  SECRET_READY,
                  Applied.Outcome.UPDATED,
                  "SecretWritten",
                  "updated ConfigMap " + name + " (JVM trust store)"));
      default -> {}
    }
    return results;
  }

  /**
   * The integration's trust store ConfigMap for this Secret name, if there is one; called before
   * any write when the store has a CA, so that a name taken by someone else is answered first.
   *
   * @throws StepFailure SecretConflict when a ConfigMap of that name belongs to someone else
   */
  public Optional<ConfigMap> observe(
      S3Integration primary, Context<S3Integration> context, String secretName) {
    Optional<ConfigMap> mine = getSecondaryResource(primary, context);
    if (mine.isPresent()) {
      return mine;
    }
    String ns = primary.getMetadata().getNamespace();
    String name = TrustStore.configMapName(secretName);
    // Not in the cache (no label of ours, or not written yet): one read by name.
    ConfigMap other = context.getClient().configMaps().inNamespace(ns).withName(name).get();
    if (other == null || ResolvedConfigSecret.isOwnedBy(other, primary)) {
      return Optional.ofNullable(other);
    }
    throw StepFailure.permanent(
        SECRET_READY,
        Reasons.SECRET_CONFLICT,
        "ConfigMap \""
            + name
            + "\" already exists and is not managed by this S3Integration; it would hold the JVM"
            + " trust store for Secret \""
            + secretName
            + "\": remove it or choose another spec.secretName");
  }

  /** Removes these annotations in a patch of their own (see the Secret's). */
  private static void removeAnnotations(
      Context<S3Integration> context, String ns, String name, List<String> keys) {
    try {
      context
          .getClient()
          .configMaps()
          .inNamespace(ns)
          .withName(name)
          .edit(
              c -> {
                if (c.getMetadata().getAnnotations() != null) {
                  Map<String, String> kept = new HashMap<>(c.getMetadata().getAnnotations());
                  keys.forEach(kept::remove);
                  c.getMetadata().setAnnotations(kept);
                }
                return c;
              });
    } catch (KubernetesClientException e) {
      throw OutputSecretContent.refused("ConfigMap", name, e);
    }
  }

  private List<ConfigMap> owned(S3Integration primary) {
    String ns = primary.getMetadata().getNamespace();
    return eventSource().stream()
        .flatMap(es -> es.byIndex(OWNER_INDEX, primary.getMetadata().getUid()).stream())
        .filter(c -> ns.equals(c.getMetadata().getNamespace()))
        .toList();
  }

  private static Applied delete(Context<S3Integration> context, String ns, String name) {
    try {
      context.getClient().configMaps().inNamespace(ns).withName(name).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw OutputSecretContent.refused("ConfigMap", name, e);
      }
    }
    return new Applied(
        SECRET_READY,
        Applied.Outcome.DELETED,
        "SecretRetired",
        "deleted ConfigMap " + name + ": no CA to trust under this name any more");
  }

  /** SSA's match on the fields we own, without managedFields (the cache has none). */
  @Override
  public Matcher.Result<ConfigMap> match(
      ConfigMap actual, ConfigMap desired, S3Integration primary, Context<S3Integration> context) {
    return Matcher.Result.computed(
        OwnedFields.match(
            desired,
            actual,
            java.util.Arrays.asList(desired.getData(), desired.getBinaryData()),
            java.util.Arrays.asList(actual.getData(), actual.getBinaryData())),
        desired);
  }

  @Override
  protected ConfigMap desired(S3Integration primary, Context<S3Integration> context) {
    ConfigMap desired =
        context.managedWorkflowAndDependentResourceContext().getMandatory(DESIRED, ConfigMap.class);
    return OutputSecretDependent.withOwnAnnotations(new ConfigMapBuilder(desired).build());
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      S3Integration primary, Context<S3Integration> context) {
    return new ResourceID(
        TrustStore.configMapName(IntegrationModel.secretName(primary)),
        primary.getMetadata().getNamespace());
  }
}
