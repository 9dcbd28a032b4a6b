package dev.integrations.s3.controller.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.store.ResolvedStore;
import dev.integrations.s3.testing.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two stores on one endpoint whose user prefixes overlap ({@code k8s.} and {@code k8s.team-a.})
 * derive the same user for different integrations ({@code k8s.} + {@code team-a.x.y} and {@code
 * k8s.team-a.} + {@code x.y}): the older store keeps its prefix, the newer one creates no users. A
 * tenant's new S3Store can therefore never take the platform's store out of service.
 */
class StorePrefixOverlapTest {
  static ResolvedStore store(StoreKind kind, String name, String host, String prefix) {
    var s = Fixtures.clusterStore(name, host, 9000, "admin");
    s.getSpec().getAdmin().setUserPrefix(prefix);
    return new ResolvedStore(
        kind, name, kind == StoreKind.S3Store ? "team-x" : null, s.getSpec(), "s3-op");
  }

  static final ResolvedStore PLATFORM =
      store(StoreKind.ClusterS3Store, "minio-prod", "minio.storage", "k8s.");
  static final ResolvedStore TENANTS =
      store(StoreKind.S3Store, "own", "MINIO.storage", "k8s.team-a.");
  static final ResolvedStore ELSEWHERE =
      store(StoreKind.S3Store, "other", "minio.elsewhere", "k8s.team-a.");
  static final ResolvedStore SAME_PREFIX =
      store(StoreKind.ClusterS3Store, "minio-again", "minio.storage", "k8s.");

  static StoreLookup lookup(List<StoreLookup.Dated> all) {
    return new StoreLookup(
        "s3-op",
        n -> Optional.empty(),
        (ns, n) -> Optional.empty(),
        ns -> Map.of(),
        s ->
            all.stream()
                .filter(
                    d -> d.store().spec().getEndpoint().equalsIgnoreCase(s.spec().getEndpoint()))
                .toList());
  }

  static final String OLD = "2026-01-01T00:00:00Z";
  static final String NEW = "2026-12-01T00:00:00Z";

  @Test
  void theNewerOfTwoOverlappingStoresOnOneEndpointIsRefused() {
    StoreLookup l =
        lookup(List.of(new StoreLookup.Dated(PLATFORM, OLD), new StoreLookup.Dated(TENANTS, NEW)));
    assertThat(l.prefixOverlap(PLATFORM, OLD)).isEmpty();
    assertThat(l.prefixOverlap(TENANTS, NEW))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("admin.userPrefix \"k8s.team-a.\" overlaps")
                    .doesNotContain("minio-prod")
                    .doesNotContain("\"k8s.\""));
  }

  @Test
  void anotherEndpointOrTheSamePrefixDoesNotOverlap() {
    StoreLookup l =
        lookup(
            List.of(
                new StoreLookup.Dated(PLATFORM, OLD),
                new StoreLookup.Dated(ELSEWHERE, NEW),
                new StoreLookup.Dated(SAME_PREFIX, NEW)));
    assertThat(l.prefixOverlap(ELSEWHERE, NEW)).isEmpty();
    assertThat(l.prefixOverlap(SAME_PREFIX, NEW)).isEmpty(); // same integration, same user
  }
}
