package dev.integrations.s3.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  static final String NS = "team-a";

  static Secret secret(String name, String bucket) {
    return Fixtures.secret(
        Fixtures.integration(NS, "int-" + name),
        name,
        Fixtures.config("AK-" + name, "SK-" + name, "http://minio:9000", "path", bucket));
  }

  static S3Locator loc(String s) {
    return S3Locator.parse(s);
  }

  @Test
  void bucketScopedRouteBeatsTheDefaultAndTheDefaultServesTheRest() {
    RoutingTable t =
        RoutingTable.of(
            NS, List.of(secret("all", null), secret("media", "media"), secret("logs", "logs")));

    assertThat(t.routeFor(loc("s3://media/a.png"))).map(Route::secretName).contains("media");
    assertThat(t.routeFor(loc("s3://logs/x"))).map(Route::secretName).contains("logs");
    assertThat(t.routeFor(loc("s3://other/x"))).map(Route::secretName).contains("all");
    assertThat(t.patterns()).containsExactly("s3://logs/*", "s3://media/*", "s3://*");
    assertThat(t.skipped()).isEmpty();
  }

  @Test
  void withoutADefaultOnlyScopedBucketsAreServed() {
    RoutingTable t = RoutingTable.of(NS, List.of(secret("media", "media")));

    assertThat(t.routeFor(loc("s3://media/a"))).isPresent();
    assertThat(t.routeFor(loc("s3://other/a"))).isEmpty();
    assertThat(t.defaultRoute()).isEmpty();
    assertThatThrownBy(() -> t.require(loc("s3://other/a")))
        .isInstanceOf(NoRouteException.class)
        .hasMessageContaining("namespace \"team-a\"")
        .hasMessageContaining("s3://other/a")
        .hasMessageContaining("s3://media/*")
        .satisfies(
            e -> {
              NoRouteException n = (NoRouteException) e;
              assertThat(n.namespace()).isEqualTo(NS);
              assertThat(n.patterns()).containsExactly("s3://media/*");
              assertThat(n.locator()).isEqualTo("s3://other/a");
            });
  }

  @Test
  void emptyNamespaceSaysSo() {
    RoutingTable t = RoutingTable.of(NS, List.of());
    assertThatThrownBy(() -> t.require(loc("s3://any/a")))
        .isInstanceOf(NoRouteException.class)
        .hasMessageContaining("patterns served there: none");
  }

  @Test
  void duplicatesArePickedByNameWhateverTheOrderAndReported() {
    List<Secret> secrets =
        new ArrayList<>(
            List.of(
                secret("b-default", null),
                secret("a-default", null),
                secret("c-default", null),
                secret("z-media", "media"),
                secret("m-media", "media")));
    Random random = new Random(42);
    for (int round = 0; round < 5; round++) {
      Collections.shuffle(secrets, random);
      RoutingTable t = RoutingTable.of(NS, secrets);

      assertThat(t.defaultRoute()).map(Route::secretName).contains("a-default");
      assertThat(t.routeFor(loc("s3://media/k"))).map(Route::secretName).contains("m-media");
      assertThat(t.skipped())
          .extracting(RoutingTable.Skipped::secretName)
          .containsExactly("b-default", "c-default", "z-media");
      assertThat(t.skipped().get(0).reason()).contains("duplicate").contains("a-default");
      assertThat(t.skipped().get(2).reason()).contains("s3://media/*").contains("m-media");
    }
  }

  @Test
  void malformedUnmanagedAndNotReadySecretsAreSkippedWithTheReasonAndDoNotBlockOthers() {
    Secret broken =
        new SecretBuilder(secret("a-broken", null)).removeFromData(ResolverKeys.REGION).build();
    Secret foreign =
        new SecretBuilder(secret("b-foreign", "media"))
            .editMetadata()
            .addToLabels(ResolverKeys.MANAGED_BY_LABEL, "helm")
            .endMetadata()
            .build();
    Secret notReady = secret("c-not-ready", "media");
    Secret ok = secret("d-ok", null);
    ReadinessCheck check =
        s ->
            s.getMetadata().getName().equals("c-not-ready")
                ? Optional.of("S3Integration int-c-not-ready is not Ready")
                : Optional.empty();

    RoutingTable t = RoutingTable.of(NS, List.of(ok, notReady, foreign, broken), check);

    assertThat(t.routes()).extracting(Route::secretName).containsExactly("d-ok");
    assertThat(t.routeFor(loc("s3://media/x"))).map(Route::secretName).contains("d-ok");
    assertThat(t.skipped())
        .extracting(RoutingTable.Skipped::secretName)
        .containsExactly("a-broken", "b-foreign", "c-not-ready");
    assertThat(t.skipped().get(0).reason()).contains("AWS_REGION");
    assertThat(t.skipped().get(1).reason()).contains("not labelled");
    assertThat(t.skipped().get(2).reason()).contains("not Ready");
    assertThat(t.toString()).doesNotContain("SK-");
  }

  @Test
  void notReadyDuplicateDoesNotShadowAReadyOne() {
    ReadinessCheck check =
        s ->
            s.getMetadata().getName().startsWith("a-")
                ? Optional.of("not Ready")
                : Optional.empty();
    RoutingTable t =
        RoutingTable.of(NS, List.of(secret("a-media", "media"), secret("b-media", "media")), check);
    assertThat(t.routeFor(loc("s3://media/x"))).map(Route::secretName).contains("b-media");
  }

  @Test
  void noRouteMessageListsSkippedSecrets() {
    Secret broken =
        new SecretBuilder(secret("broken", null)).removeFromData(ResolverKeys.REGION).build();
    assertThatThrownBy(() -> RoutingTable.of(NS, List.of(broken)).require(loc("s3://x12/k")))
        .isInstanceOf(NoRouteException.class)
        .hasMessageContaining("broken (")
        .hasMessageContaining("AWS_REGION")
        .message()
        .doesNotContain("SK-broken");
  }
}
