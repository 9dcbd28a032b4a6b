package dev.integrations.s3.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.secret.ResolvedConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/** Presigning without any network, and the ready check against the mock API server. */
@EnableKubernetesMockClient(crud = true)
class LocatorResolverMockIT {
  static KubernetesClient client;
  static KubernetesMockServer server;

  static final String CA =
      """
      -----BEGIN CERTIFICATE-----
      MIIBjTCCATOgAwIBAgIUFTZuDiDS8srAdaC/HKcBc0dtLcAwCgYIKoZIzj0EAwIw
      GzEZMBcGA1UEAwwQcmVzb2x2ZXItdGVzdC1jYTAgFw0yNjExMjMwMDMwMDlaGA8y
      MTI2MTAzMDAwMzAwOVowGzEZMBcGA1UEAwwQcmVzb2x2ZXItdGVzdC1jYTBZMBMG
      ByqGSM49AgEGCCqGSM49AwEHA0IABG9a3e6HrBMCC88pokdKLZg9k+t/I5xGguHi
      wYrpJlA1L2PxVFtI8Y8U+T6WmRqICK/KC59Ce7AVeW/RzqAKK+yjUzBRMB0GA1Ud
      DgQWBBTdKDoFXBVpIMefnezp8Ji4cwqN7TAfBgNVHSMEGDAWgBTdKDoFXBVpIMef
      nezp8Ji4cwqN7TAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIBDA
      SckWlssw8P2RxhUpSJh4ybk9O+YeVkWk6JVNjEPDAiEA0a74gO0dxl7PDegdqwi3
      iIMKQOZ6qQHVMYCmy3rZR8M=
      -----END CERTIFICATE-----
      """;

  static final String SK_PATH = "pathSecretKey0123456789";
  static final String SK_VIRTUAL = "virtualSecretKey0123456789";

  static LocatorResolver offline() {
    S3Integration owner = Fixtures.integration("ns", "viz");
    Secret path =
        Fixtures.secret(
            owner,
            "all",
            Fixtures.config("AKPATH", SK_PATH, "http://storage.example:9000", "path", null));
    Secret virtual =
        Fixtures.secret(
            owner,
            "media",
            new ResolvedConfig(
                "AKVIRTUAL",
                SK_VIRTUAL,
                "https://s3.example",
                "eu-central-1",
                "s3.example",
                null,
                "virtual",
                "media",
                CA,
                null,
                "/var/run/s3-integration"));
    return LocatorResolver.of(RoutingTable.of("ns", List.of(path, virtual)));
  }

  @Test
  void pathStylePresignCarriesTheKeysRegionAndExpiryButNotTheSecret() {
    URI url = offline().presign("s3://data-01/dir/a b ü.txt", Duration.ofMinutes(10));

    assertThat(url.getScheme()).isEqualTo("http");
    assertThat(url.getHost()).isEqualTo("storage.example");
    assertThat(url.getPort()).isEqualTo(9000);
    assertThat(url.getPath()).isEqualTo("/data-01/dir/a b ü.txt");
    assertThat(url.getRawPath()).isEqualTo("/data-01/dir/a%20b%20%C3%BC.txt");
    assertThat(url.getRawQuery())
        .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256")
        .contains("X-Amz-Expires=600")
        .contains("X-Amz-Credential=AKPATH%2F")
        .contains("%2Fus-east-1%2Fs3%2Faws4_request")
        .contains("X-Amz-Signature=");
    assertThat(url.toString()).doesNotContain(SK_PATH);
  }

  @Test
  void virtualStylePutsTheBucketIntoTheHost() {
    URI url = offline().presign("s3://media/k.png", Duration.ofHours(1));

    assertThat(url.getScheme()).isEqualTo("https");
    assertThat(url.getHost()).isEqualTo("media.s3.example");
    assertThat(url.getPath()).isEqualTo("/k.png");
    assertThat(url.getRawQuery())
        .contains("X-Amz-Credential=AKVIRTUAL%2F")
        .contains("eu-central-1")
        .contains("X-Amz-Expires=3600");
    assertThat(url.toString()).doesNotContain(SK_VIRTUAL);
  }

  @Test
  void aPublicEndpointIsWhatPresignedUrlsNameAndSign() {
    S3Integration owner = Fixtures.integration("ns", "viz");
    Secret secret =
        Fixtures.secret(
            owner,
            "all",
            new ResolvedConfig(
                "AKPUB",
                SK_PATH,
                "http://minio.storage.svc:9000",
                "eu-central-1",
                "minio.storage.svc",
                9000,
                "path",
                null,
                null,
                "https://files.example.com",
                "/var/run/s3-integration"));
    LocatorResolver r = LocatorResolver.of(RoutingTable.of("ns", List.of(secret)));

    URI url = r.presign("s3://media/k.png", Duration.ofMinutes(5));
    assertThat(url.getScheme()).isEqualTo("https");
    assertThat(url.getHost()).isEqualTo("files.example.com");
    assertThat(url.getPort()).isEqualTo(-1);
    assertThat(url.getPath()).isEqualTo("/media/k.png");
    assertThat(url.getRawQuery())
        .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256")
        .contains("%2Feu-central-1%2Fs3%2Faws4_request")
        .contains("X-Amz-SignedHeaders=host");
    // the in-cluster client still talks to the endpoint the operator verified
    assertThat(r.route("s3://media/k.png").endpointUrl().getHost()).isEqualTo("minio.storage.svc");
  }

  @Test
  void expiryIsBoundedToOneSecondThroughSevenDays() {
    LocatorResolver r = offline();
    assertThat(r.presign("s3://data-01/k", Duration.ofSeconds(1)).getRawQuery())
        .contains("X-Amz-Expires=1&");
    assertThat(r.presign("s3://data-01/k", Duration.ofDays(7)).getRawQuery())
        .contains("X-Amz-Expires=604800");
    for (Duration bad :
        List.of(
            Duration.ZERO,
            Duration.ofMillis(999),
            Duration.ofSeconds(-5),
            Duration.ofDays(7).plusSeconds(1))) {
      assertThatThrownBy(() -> r.presign("s3://data-01/k", bad))
          .as("expiry %s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("out of bounds")
          .hasMessageContaining("7 days");
    }
    assertThatThrownBy(() -> r.presign("s3://data-01/k", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedLocatorAndMissingRouteAreDistinct() {
    LocatorResolver scopedOnly =
        LocatorResolver.of(
            RoutingTable.of(
                "team-x",
                List.of(
                    Fixtures.secret(
                        Fixtures.integration("team-x", "viz"),
                        "media",
                        Fixtures.config("AK", "SK", "http://h:1", "path", "media")))));
    assertThatThrownBy(() -> scopedOnly.presign("s3://media", Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(NoRouteException.class)
        .hasMessageContaining("\"s3://media\"");
    assertThatThrownBy(() -> scopedOnly.presign("s3://other/k", Duration.ofMinutes(1)))
        .isInstanceOf(NoRouteException.class)
        .hasMessageContaining("\"team-x\"")
        .hasMessageContaining("s3://media/*");
    assertThat(scopedOnly.route("s3://media/k").secretName()).isEqualTo("media");
  }

  @Test
  void theSecretsCaIsTrustedAlongsideTheJvmDefaults() {
    Route media = offline().routingTable().bucketRoutes().get("media");
    var issuers = Arrays.asList(LocatorResolver.trust(media).trustManager().getAcceptedIssuers());
    assertThat(issuers)
        .anySatisfy(
            c ->
                assertThat(c.getSubjectX500Principal())
                    .isEqualTo(new X500Principal("CN=resolver-test-ca")));
    assertThat(issuers.size()).isGreaterThan(1);

    Route bad =
        new Route(
            "ns",
            "broken-ca",
            null,
            "media",
            "AK",
            "SK",
            URI.create("https://h"),
            "r",
            Route.AddressingStyle.PATH,
            "s3://media/*",
            "not a certificate",
            null);
    assertThatThrownBy(() -> LocatorResolver.trust(bad))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("broken-ca");
  }

  // ---- the ready check, against the mock API server ----

  private static void put(S3Integration owner, String secretName, String bucket) {
    client
        .resource(
            Fixtures.secret(
                owner,
                secretName,
                Fixtures.config("AK-" + secretName, "SK", "http://h:9000", "path", bucket)))
        .create();
  }

  @Test
  void onlySecretsOfReadyIntegrationsForTheirCurrentGenerationAreUsed() {
    String ns = "ready-check";
    put(Fixtures.store(client, ns, "ready", "True", false), "s-ready", null);
    put(Fixtures.store(client, ns, "failing", "False", false), "s-failing", "failing");
    put(Fixtures.store(client, ns, "stale", "True", true), "s-stale", "stale");
    put(Fixtures.integration(ns, "gone"), "s-gone", "gone");
    S3Integration recreated = Fixtures.store(client, ns, "recreated", "True", false);
    S3Integration earlier = Fixtures.integration(ns, "recreated");
    put(earlier, "s-recreated", "recreated");

    RoutingTable checked = LocatorResolver.fromCluster(client, ns).routingTable();

    assertThat(recreated.getMetadata().getUid()).isNotEqualTo(earlier.getMetadata().getUid());
    assertThat(checked.routes()).extracting(Route::secretName).containsExactly("s-ready");
    assertThat(checked.skipped())
        .extracting(RoutingTable.Skipped::secretName)
        .containsExactly("s-failing", "s-gone", "s-recreated", "s-stale");
    assertThat(checked.skipped().get(0).reason()).contains("not Ready").contains("AccessDenied");
    assertThat(checked.skipped().get(1).reason()).contains("does not exist");
    assertThat(checked.skipped().get(2).reason()).contains("UID");
    assertThat(checked.skipped().get(3).reason()).contains("generation");
    // Locators of the skipped scoped buckets fall back to the default.
    assertThat(checked.routeFor(S3Locator.parse("s3://failing/x")))
        .map(Route::secretName)
        .contains("s-ready");

    RoutingTable unchecked = LocatorResolver.fromCluster(client, ns, false).routingTable();
    assertThat(unchecked.routes())
        .extracting(Route::secretName)
        .containsExactlyInAnyOrder("s-ready", "s-failing", "s-stale", "s-gone", "s-recreated");
    assertThat(unchecked.skipped()).isEmpty();
  }

  @Test
  void aSecretTheIntegrationNoLongerWritesIsNotUsed() {
    String ns = "renamed-check";
    S3Integration renamed = Fixtures.store(client, ns, "viz", "True", false);
    renamed.getStatus().setSecretName("viz-config");
    renamed = client.resource(renamed).updateStatus();
    put(renamed, "viz-s3", null); // written before spec.secretName changed
    put(renamed, "viz-config", null);

    RoutingTable checked = LocatorResolver.fromCluster(client, ns).routingTable();

    assertThat(checked.routes()).extracting(Route::secretName).containsExactly("viz-config");
    assertThat(checked.skipped())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.secretName()).isEqualTo("viz-s3");
              assertThat(s.reason()).contains("writes Secret viz-config now");
            });
  }

  @Test
  void otherNamespacesAndUnlabelledSecretsAreNotListedAndRefreshSeesNewSecrets() {
    String ns = "refresh";
    put(Fixtures.store(client, "elsewhere", "viz", "True", false), "s-other", null);
    LocatorResolver r = LocatorResolver.fromCluster(client, ns);
    assertThat(r.routingTable().routes()).isEmpty();
    assertThatThrownBy(() -> r.presign("s3://abc/k", Duration.ofMinutes(1)))
        .isInstanceOf(NoRouteException.class)
        .hasMessageContaining("\"refresh\"");

    put(Fixtures.store(client, ns, "viz", "True", false), "s-viz", null);
    assertThat(r.refresh().presign("s3://abc/k", Duration.ofMinutes(1)).getRawQuery())
        .contains("AK-s-viz");
  }

  @Test
  void withoutRbacForIntegrationsTheReadyCheckSkipsAndSaysHowToSwitchItOff() {
    String ns = "no-rbac";
    server
        .expect()
        .get()
        .withPath("/apis/s3.integrations.dev/v1alpha1/namespaces/no-rbac/s3integrations/viz")
        .andReturn(
            403,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(403)
                .withReason("Forbidden")
                .withMessage("s3integrations is forbidden")
                .build())
        .always();
    put(Fixtures.integration(ns, "viz"), "s-viz", null);

    LocatorResolver checked = LocatorResolver.fromCluster(client, ns);
    assertThat(checked.routingTable().routes()).isEmpty();
    assertThat(checked.routingTable().skipped())
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.reason())
                    .contains("not allowed to read S3Integration viz")
                    .contains("403")
                    .contains("ready check off"));
    assertThatThrownBy(() -> checked.presign("s3://abc/k", Duration.ofMinutes(1)))
        .isInstanceOf(NoRouteException.class)
        .hasMessageContaining("not allowed");

    assertThat(LocatorResolver.fromCluster(client, ns, false).route("s3://abc/k").secretName())
        .isEqualTo("s-viz");
  }
}
