package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.status.ConditionTypes.CREDENTIALS_READY;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.controller.common.Applied;
import dev.integrations.s3.controller.integration.plan.Revocation;
import dev.integrations.s3.informers.PrunedItemStore;
import dev.integrations.s3.ownership.OwnershipRecord;
import dev.integrations.s3.ownership.OwnershipRecordSecret;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ownership records in the operator's namespace: a label-selected informer (one small Secret
 * per managed user, nothing else of that namespace), lookups by store and user or by integration
 * UID, and the writes. Tenants cannot write there, so a record is evidence; everything a tenant can
 * write is not.
 */
final class OwnershipRecords {
  private static final String UID_INDEX = "record-uid";

  private final String namespace;
  private volatile InformerEventSource<Secret, S3Integration> informer;

  OwnershipRecords(String namespace) {
    this.namespace = namespace;
  }

  String namespace() {
    return namespace;
  }

  /** The informer of records; a changed or deleted record reconciles its integration. */
  InformerEventSource<Secret, S3Integration> informer(EventSourceContext<S3Integration> context) {
    informer =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, S3Integration.class)
                .withName("records")
                .withNamespaces(Set.of(namespace))
                .withLabelSelector(OwnershipRecordSecret.SELECTOR)
                // one record per managed integration: kept without managedFields (never read)
                .withItemStore(new PrunedItemStore<>())
                .withSecondaryToPrimaryMapper(
                    s ->
                        OwnershipRecordSecret.fromSecret(s)
                            .map(
                                r ->
                                    Set.of(
                                        new ResourceID(
                                            r.integrationName(), r.integrationNamespace())))
                            .orElse(Set.of()))
                .build(),
            context);
    informer.addIndexers(
        Map.of(
            UID_INDEX,
            s ->
                OwnershipRecordSecret.fromSecret(s)
                    .map(r -> List.of(r.integrationUid()))
                    .orElse(List.of())));
    return informer;
  }

  /**
   * The record of this user on this store, whoever it belongs to: from the cache, or read by name
   * when the cache has none (a record just written may not have reached it yet).
   */
  Optional<OwnershipRecord> find(KubernetesClient client, String store, String user) {
    String name = OwnershipRecordSecret.name(store, user);
    Optional<Secret> cached = informer.get(new ResourceID(name, namespace));
    Secret s = cached.orElseGet(() -> client.secrets().inNamespace(namespace).withName(name).get());
    return OwnershipRecordSecret.fromSecret(s);
  }

  /** The record of this user on this store in the cache (no API call), whoever it belongs to. */
  Optional<OwnershipRecord> cached(String store, String user) {
    return informer
        .get(new ResourceID(OwnershipRecordSecret.name(store, user), namespace))
        .flatMap(OwnershipRecordSecret::fromSecret);
  }

  /** Every record of the integration with this UID (one per store and user it has used). */
  List<OwnershipRecord> ownedBy(String uid) {
    return informer.byIndex(UID_INDEX, uid).stream()
        .flatMap(
            s ->
                OwnershipRecordSecret.fromSecret(s)
                    // one the operator could not have written is never acted on (RecordSweep
                    // says so in the log)
                    .filter(r -> Revocation.consistent(s.getMetadata().getName(), r))
                    .stream())
        .toList();
  }

  /** Every record Secret in the cache, for the revocation sweep. */
  List<Secret> all() {
    return informer.list().toList();
  }

  /** Whether the cache of records has its first list. */
  boolean synced() {
    return informer != null && IntegrationEventSources.started(informer);
  }

  Applied write(KubernetesClient client, OwnershipRecord record) {
    // Marked as this informer's own write: its watch event can arrive before create() returns,
    // and handleRecentResourceCreate alone would then come too late to keep the integration from
    // reconciling again (16 of 20 records in SharedStoreIT did).
    Secret created =
        client
            .secrets()
            .inNamespace(namespace)
            .resource(
                informer.addPreviousAnnotation(
                    null, OwnershipRecordSecret.toSecret(record, namespace)))
            .create();
    informer.handleRecentResourceCreate(ResourceID.fromResource(created), created);
    return new Applied(
        CREDENTIALS_READY,
        Applied.Outcome.CREATED,
        null, // the operator's own bookkeeping: no Event in the tenant's namespace
        "recorded MinIO user " + record.user());
  }

  /**
   * Replaces a record of ours (a rotation, the end of an overlap): written before the key it names
   * is issued, and after the key it forgets is deleted.
   */
  Applied update(KubernetesClient client, OwnershipRecord record) {
    Secret desired = OwnershipRecordSecret.toSecret(record, namespace);
    ResourceID id = ResourceID.fromResource(desired);
    Secret before = informer.get(id).orElse(null);
    if (before != null) {
      informer.addPreviousAnnotation(before.getMetadata().getResourceVersion(), desired);
    }
    Secret updated = client.secrets().inNamespace(namespace).resource(desired).update();
    if (before != null) {
      // the next reconcile must see this version, not the cached one
      informer.handleRecentResourceUpdate(id, updated, before);
    }
    return new Applied(
        CREDENTIALS_READY,
        Applied.Outcome.UPDATED,
        null,
        "recorded the keys of MinIO user " + record.user());
  }

  Applied delete(KubernetesClient client, OwnershipRecord record) {
    client
        .secrets()
        .inNamespace(namespace)
        .withName(OwnershipRecordSecret.name(record.store(), record.user()))
        .delete();
    return new Applied(CREDENTIALS_READY, Applied.Outcome.DELETED, null, "forgot " + record.user());
  }
}
