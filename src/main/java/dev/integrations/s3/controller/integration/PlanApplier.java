package dev.integrations.s3.controller.integration;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.controller.common.Applied;
import dev.integrations.s3.controller.common.StorageConnections;
import dev.integrations.s3.controller.integration.dependent.OutputSecretContent;
import dev.integrations.s3.controller.integration.dependent.OutputSecretDependent;
import dev.integrations.s3.controller.integration.dependent.TrustStoreDependent;
import dev.integrations.s3.controller.integration.plan.Change;
import dev.integrations.s3.controller.integration.plan.Decision;
import dev.integrations.s3.controller.integration.plan.IntegrationModel;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * The apply step: carries out a plan's changes in their order (the ownership record, the MinIO user
 * and policy, the output Secret with its trust store), then retires what the integration used
 * before, and reports every write ({@link Reporter}) even when a later one fails.
 */
final class PlanApplier {
  private final OutputSecretDependent outputSecrets;
  private final TrustStoreDependent trustStores;
  private final OwnershipRecords records;
  private final IntegrationCleanup cleanup;
  private final Reporter reporter;
  private final String consumerMountPath;

  PlanApplier(
      OutputSecretDependent outputSecrets,
      TrustStoreDependent trustStores,
      OwnershipRecords records,
      IntegrationCleanup cleanup,
      Reporter reporter,
      String consumerMountPath) {
    this.outputSecrets = outputSecrets;
    this.trustStores = trustStores;
    this.records = records;
    this.cleanup = cleanup;
    this.reporter = reporter;
    this.consumerMountPath = consumerMountPath;
  }

  /** Carries out the plan, in order, and reports each write. */
  void apply(
      S3Integration resource,
      Context<S3Integration> context,
      IntegrationModel model,
      Observed o,
      Decision.Plan plan,
      IntegrationStatus status,
      Deadline deadline) {
    List<Applied> results = new ArrayList<>();
    try {
      for (Change change : plan.actions()) {
        deadline.check("before " + change.getClass().getSimpleName());
        if (change instanceof Change.WriteSecret) {
          Secret desired =
              OutputSecretContent.build(resource, model, o.connection(), plan, consumerMountPath);
          results.add(outputSecrets.write(resource, context, desired, o.observation().output()));
          results.addAll(
              trustStores.apply(
                  resource, context, model.secretName(), o.connection().caPem(), o.trustStore()));
          status.secretWritten();
        } else {
          results.add(write(context, o.connection(), change));
        }
      }
      if (plan.withdrawn() == null) {
        // the new identity and Secret are in place: what the integration used before goes
        results.addAll(outputSecrets.retireOthers(resource, context, model.secretName()));
        results.addAll(
            cleanup.retireStale(
                resource, context.getClient(), model.store().id(), model.userName()));
      }
    } finally {
      reporter.applied(resource, results);
    }
    if (plan.withdrawn() == null) {
      planApplied(model, plan, status);
    }
  }

  /** One write to the ownership record or the storage. */
  private Applied write(
      Context<S3Integration> context, StorageConnections.Connection connection, Change change) {
    if (change instanceof Change.WriteRecord r) {
      return r.update()
          ? records.update(context.getClient(), r.record())
          : records.write(context.getClient(), r.record());
    }
    return MinioUserApplier.handles(change)
        ? MinioUserApplier.apply(connection.admin(), change)
        : MinioPolicyApplier.apply(connection.admin(), change);
  }

  /** The steps a carried-out plan meets: the user and policy, or the given keys. */
  private static void planApplied(
      IntegrationModel model, Decision.Plan plan, IntegrationStatus status) {
    if (model.managed()) {
      status.userReady(model, plan);
      status.policyApplied(model, plan);
    } else {
      status.keysProvided(model, plan);
    }
  }
}
