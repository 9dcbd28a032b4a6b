package dev.integrations.s3.controller.store;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.controller.common.Events;
import dev.integrations.s3.controller.common.TenantBulkhead;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.storage.minio.MinioAdminFactory;
import dev.integrations.s3.verify.AccessProber;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;

/** The S3Store kind: see {@link StoreReconciler}. */
@ControllerConfiguration(name = S3StoreReconciler.NAME, finalizerName = ApiGroup.STORE_FINALIZER)
public class S3StoreReconciler extends StoreReconciler<S3Store> {
  public static final String NAME = "s3store";

  public S3StoreReconciler(
      OperatorConfig config,
      Conditions conditions,
      Events events,
      MinioAdminFactory adminFactory,
      AccessProber prober,
      TenantBulkhead tenantBulkhead) {
    super(
        StoreKind.S3Store,
        S3Store.class,
        config,
        conditions,
        events,
        adminFactory,
        prober,
        tenantBulkhead);
  }
}
