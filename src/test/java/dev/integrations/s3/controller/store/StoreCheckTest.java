package dev.integrations.s3.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreSpec;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.store.ResolvedStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreCheckTest {
  static ResolvedStore store(StoreKind kind) {
    StoreSpec spec = new StoreSpec();
    spec.setEndpoint("s3.example.com");
    return new ResolvedStore(kind, "s", kind == StoreKind.S3Store ? "team" : null, spec, "team");
  }

  @Test
  void aTenantsStoreIsCheckedWithin15Seconds() {
    StorageEndpoint tenant = StoreCheck.endpoint(store(StoreKind.S3Store));
    assertThat(tenant.readTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(tenant.connectTimeout().plus(tenant.readTimeout()))
        .isEqualTo(StoreCheck.TENANT_BUDGET)
        .isEqualTo(Duration.ofSeconds(15));
    assertThat(tenant.guarded()).as("still where EndpointGuard allows").isTrue();
  }

  @Test
  void aPlatformStoreKeepsTheDefaultTimeouts() {
    StorageEndpoint platform = StoreCheck.endpoint(store(StoreKind.ClusterS3Store));
    assertThat(platform).isEqualTo(store(StoreKind.ClusterS3Store).endpoint());
    assertThat(platform.connectTimeout().plus(platform.readTimeout()))
        .isEqualTo(Duration.ofSeconds(25));
  }
}
