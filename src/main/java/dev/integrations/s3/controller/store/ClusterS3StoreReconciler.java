package dev.integrations.s3.controller.store;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.controller.common.Events;
import dev.integrations.s3.controller.common.TenantBulkhead;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.storage.minio.MinioAdminFactory;
import dev.integrations.s3.verify.AccessProber;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;

/** The ClusterS3Store kind: see {@link StoreReconciler}. */
@ControllerConfiguration(
    name = ClusterS3StoreReconciler.NAME,
    finalizerName = ApiGroup.STORE_FINALIZER)
public class ClusterS3StoreReconciler extends StoreReconciler<ClusterS3Store> {
  public static final String NAME = "clusters3store";

  public ClusterS3StoreReconciler(
      OperatorConfig config,
      Conditions conditions,
      Events events,
      MinioAdminFactory adminFactory,
      AccessProber prober,
      TenantBulkhead tenantBulkhead) {
    super(
        StoreKind.ClusterS3Store,
        ClusterS3Store.class,
        config,
        conditions,
        events,
        adminFactory,
        prober,
        tenantBulkhead);
  }
}
