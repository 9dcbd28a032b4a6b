package dev.integrations.s3.controller.integration.dependent;

import static dev.integrations.s3.status.ConditionTypes.SECRET_READY;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.controller.common.Applied;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.integration.plan.IntegrationModel;
import dev.integrations.s3.informers.OwnedFields;
import dev.integrations.s3.informers.PrunedItemStore;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.status.Reasons;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
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
 * The resolved-config Secret as a JOSDK dependent resource: created and updated with server-side
 * apply (SSA: only the fields we own are compared and written; labels and annotations others add
 * stay), owned by the integration (so Kubernetes' garbage collector deletes it), and cached by an
 * informer that sees only Secrets carrying our managed-by label — never the other Secrets of a
 * namespace.
 *
 * <p>Standalone rather than in a managed workflow: the reconciler calls it explicitly after the
 * decision found no conflict, with the desired Secret put into the context, and reads its outcome
 * for Events and status.
 */
public final class OutputSecretDependent
    extends CRUDKubernetesDependentResource<Secret, S3Integration> {
  /** The label selector of the informer: our output Secrets only (not our records). */
  public static final String SELECTOR =
      ResolvedConfigSecret.MANAGED_BY_LABEL
          + "="
          + ResolvedConfigSecret.MANAGED_BY
          + ","
          + ResolvedConfigSecret.INTEGRATION_LABEL;

  private static final String DESIRED = OutputSecretDependent.class.getName() + ".desired";

  private final SecretFights fights;

  /**
   * @param namespaces the operator's watched namespaces (empty: all)
   */
  public OutputSecretDependent(SecretFights fights, java.util.Set<String> namespaces) {
    super(Secret.class, "output-secrets");
    this.fights = fights;
    configureWith(
        new KubernetesDependentResourceConfigBuilder<Secret>()
            .withKubernetesDependentInformerConfig(
                InformerConfiguration.builder(Secret.class)
                    .withName("output-secrets")
                    .withLabelSelector(SELECTOR)
                    // no managedFields: OwnedFields matches without them; data only of the
                    // Secrets an integration controls
                    .withItemStore(
                        PrunedItemStore.ifOneInformer(namespaces, PrunedItemStore::outputSecrets))
                    .build())
            .build());
  }

  /** Index of the cached output Secrets by the UIDs of their owners. */
  private static final String OWNER_INDEX = "owner-uid";

  /** The informer, created once for the reconciler's event sources. */
  public InformerEventSource<Secret, S3Integration> informer(
      EventSourceContext<S3Integration> context) {
    InformerEventSource<Secret, S3Integration> informer = eventSource(context).orElseThrow();
    informer.addIndexers(Map.of(OWNER_INDEX, OutputSecretDependent::ownerUids));
    return informer;
  }

  /** The UIDs of an object's owners: the index both dependents find their objects by. */
  public static List<String> ownerUids(io.fabric8.kubernetes.api.model.HasMetadata object) {
    return object.getMetadata().getOwnerReferences() == null
        ? List.of()
        : object.getMetadata().getOwnerReferences().stream()
            .map(r -> r.getUid())
            .filter(java.util.Objects::nonNull)
            .toList();
  }

  /**
   * The desired object with an annotation map of its own: JOSDK adds its bookkeeping annotation to
   * it.
   */
  public static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T withOwnAnnotations(
      T copy) {
    copy.getMetadata()
        .setAnnotations(
            new HashMap<>(
                copy.getMetadata().getAnnotations() == null
                    ? java.util.Map.of()
                    : copy.getMetadata().getAnnotations()));
    return copy;
  }

  /**
   * The integration's own output Secret, or empty when there is none.
   *
   * @throws StepFailure SecretConflict when a Secret of that name exists and belongs to someone
   *     else: it is never overwritten
   */
  public Optional<Secret> observe(
      S3Integration primary, Context<S3Integration> context, String name) {
    String ns = primary.getMetadata().getNamespace();
    Optional<Secret> mine = getSecondaryResource(primary, context);
    if (mine.isPresent()) {
      return mine;
    }
    // Not ours in the cache. Labelled by us for another integration, or a Secret the informer
    // does not see (no label): one read by name, only while our Secret does not exist.
    Secret other =
        eventSource()
            .flatMap(es -> es.get(new ResourceID(name, ns)))
            .orElseGet(() -> context.getClient().secrets().inNamespace(ns).withName(name).get());
    if (other == null) {
      return Optional.empty();
    }
    if (ResolvedConfigSecret.isOwnedBy(other, primary)) {
      return Optional.of(other); // our own write, not in the cache yet
    }
    throw StepFailure.permanent(
        SECRET_READY,
        Reasons.SECRET_CONFLICT,
        "Secret \""
            + name
            + "\" already exists and is not managed by this S3Integration; choose another"
            + " spec.secretName or remove that Secret");
  }

  /**
   * Creates or updates the Secret so that it is {@code desired}; returns what it did.
   *
   * @param actual the Secret {@link #observe} found (null: none), so that the write is decided on
   *     what the decision saw, not on a second look at a cache our own writes may not have reached
   * @throws StepFailure SecretWriteFailed when the API server refuses the Secret for good;
   *     SecretContested when a second writer keeps changing it (see {@link SecretFights})
   */
  public Applied write(
      S3Integration primary, Context<S3Integration> context, Secret desired, Secret actual) {
    String name = desired.getMetadata().getName();
    context.managedWorkflowAndDependentResourceContext().put(DESIRED, desired);
    if (actual == null || !match(actual, primary, context).matched()) {
      fights.beforeWrite(primary, name, actual); // a loop with a second writer stops here
    }
    ReconcileResult<Secret> result;
    try {
      result = reconcile(primary, actual, context);
    } catch (KubernetesClientException e) {
      throw OutputSecretContent.refused(name, e);
    }
    Secret written = result.getSingleResource().orElse(actual);
    List<String> forged = forgedAnnotations(desired, written);
    if (!forged.isEmpty()) {
      written = removeAnnotations(primary, context, name, forged);
    }
    fights.written(primary, name, written);
    if (!forged.isEmpty()) {
      return new Applied(
          SECRET_READY,
          Applied.Outcome.UPDATED,
          "SecretWritten",
          "restored Secret "
              + name
              + ": removed annotations under "
              + OwnedFields.OUR_PREFIX
              + " the operator did not write ("
              + String.join(", ", forged)
              + ")");
    }
    return switch (result.getSingleOperation()) {
      case CREATED ->
          new Applied(
              SECRET_READY, Applied.Outcome.CREATED, "SecretWritten", "created Secret " + name);
      case UPDATED ->
          new Applied(
              SECRET_READY, Applied.Outcome.UPDATED, "SecretWritten", "updated Secret " + name);
      default -> Applied.noop(SECRET_READY);
    };
  }

  /**
   * The annotations under the operator's prefix on {@code actual} that {@code desired} does not
   * have: someone else wrote them (issue 21, item 16: a tenant naming another tenant's user and
   * policy on its Secret). Only the keys are returned; their values are never shown.
   */
  static List<String> forgedAnnotations(HasMetadata desired, HasMetadata actual) {
    if (actual == null || actual.getMetadata().getAnnotations() == null) {
      return List.of();
    }
    Map<String, String> ours =
        desired.getMetadata().getAnnotations() == null
            ? Map.of()
            : desired.getMetadata().getAnnotations();
    return actual.getMetadata().getAnnotations().keySet().stream()
        .filter(k -> k.startsWith(OwnedFields.OUR_PREFIX) && !ours.containsKey(k))
        .sorted()
        .toList();
  }

  /**
   * Removes these annotations. Neither server-side apply (they belong to another field manager) nor
   * JOSDK's update without it (it merges annotations) removes what the operator never applied, so
   * they go in a patch of their own; annotations outside the prefix are left to their writers.
   */
  private Secret removeAnnotations(
      S3Integration primary, Context<S3Integration> context, String name, List<String> keys) {
    try {
      return context
          .getClient()
          .secrets()
          .inNamespace(primary.getMetadata().getNamespace())
          .withName(name)
          .edit(
              s -> {
                if (s.getMetadata().getAnnotations() != null) {
                  Map<String, String> kept = new HashMap<>(s.getMetadata().getAnnotations());
                  keys.forEach(kept::remove);
                  s.getMetadata().setAnnotations(kept);
                }
                return s;
              });
    } catch (KubernetesClientException e) {
      throw OutputSecretContent.refused(name, e);
    }
  }

  /**
   * Retires this integration's earlier output Secrets (after a spec.secretName change): their data
   * and our labels are removed, so no consumer or resolver uses the keys in them any more, and an
   * annotation names the Secret that replaced them. The owner reference stays: the garbage
   * collector deletes them with the integration (the operator has no delete on tenant Secrets).
   */
  public List<Applied> retireOthers(
      S3Integration primary, Context<S3Integration> context, String name) {
    String ns = primary.getMetadata().getNamespace();
    List<Secret> earlier =
        eventSource().stream()
            .flatMap(es -> es.byIndex(OWNER_INDEX, primary.getMetadata().getUid()).stream())
            .filter(s -> ns.equals(s.getMetadata().getNamespace()))
            .filter(s -> !s.getMetadata().getName().equals(name))
            .toList();
    List<Applied> results = new ArrayList<>();
    for (Secret old : earlier) {
      String oldName = old.getMetadata().getName();
      try {
        context
            .getClient()
            .secrets()
            .inNamespace(ns)
            .withName(oldName)
            .edit(
                s -> {
                  s.setData(null);
                  s.setStringData(null);
                  if (s.getMetadata().getLabels() != null) {
                    s.getMetadata().getLabels().remove(ResolvedConfigSecret.MANAGED_BY_LABEL);
                    s.getMetadata().getLabels().remove(ResolvedConfigSecret.INTEGRATION_LABEL);
                    s.getMetadata().getLabels().remove(ResolvedConfigSecret.SCOPE_LABEL);
                  }
                  Map<String, String> annotations =
                      s.getMetadata().getAnnotations() == null
                          ? new HashMap<>()
                          : s.getMetadata().getAnnotations();
                  annotations.put(ResolvedConfigSecret.SUPERSEDED_BY_ANNOTATION, name);
                  s.getMetadata().setAnnotations(annotations);
                  return s;
                });
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          continue; // already gone
        }
        throw OutputSecretContent.refused(oldName, e);
      }
      results.add(
          new Applied(
              SECRET_READY,
              Applied.Outcome.UPDATED,
              "SecretRetired",
              "emptied Secret " + oldName + ": the integration writes " + name + " now"));
    }
    return results;
  }

  /** SSA's match on the fields we own, without managedFields (the cache has none). */
  @Override
  public Matcher.Result<Secret> match(
      Secret actual, Secret desired, S3Integration primary, Context<S3Integration> context) {
    return Matcher.Result.computed(
        OwnedFields.match(
            desired,
            actual,
            java.util.Collections.singletonList(desired.getData()),
            java.util.Collections.singletonList(actual.getData())),
        desired);
  }

  @Override
  protected Secret desired(S3Integration primary, Context<S3Integration> context) {
    Secret desired =
        context.managedWorkflowAndDependentResourceContext().getMandatory(DESIRED, Secret.class);
    return withOwnAnnotations(new SecretBuilder(desired).build());
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      S3Integration primary, Context<S3Integration> context) {
    return new ResourceID(
        IntegrationModel.secretName(primary), primary.getMetadata().getNamespace());
  }
}
