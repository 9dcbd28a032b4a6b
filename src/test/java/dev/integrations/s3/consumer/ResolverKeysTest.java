package dev.integrations.s3.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.secret.ResolvedConfig;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resolver's names and reading agree with what the operator writes. */
class ResolverKeysTest {

  @Test
  void keyAndLabelNamesEqualTheOperators() {
    assertThat(ResolverKeys.MANAGED_BY_LABEL).isEqualTo(ResolvedConfigSecret.MANAGED_BY_LABEL);
    assertThat(ResolverKeys.MANAGED_BY).isEqualTo(ResolvedConfigSecret.MANAGED_BY);
    assertThat(ResolverKeys.INTEGRATION_LABEL).isEqualTo(ResolvedConfigSecret.INTEGRATION_LABEL);
    assertThat(ResolverKeys.SCOPE_LABEL).isEqualTo(ResolvedConfigSecret.SCOPE_LABEL);
    assertThat(ResolverKeys.ACCESS_KEY_ID).isEqualTo(ResolvedConfigSecret.ACCESS_KEY_ID);
    assertThat(ResolverKeys.SECRET_ACCESS_KEY).isEqualTo(ResolvedConfigSecret.SECRET_ACCESS_KEY);
    assertThat(ResolverKeys.ENDPOINT_URL).isEqualTo(ResolvedConfigSecret.ENDPOINT_URL);
    assertThat(ResolverKeys.REGION).isEqualTo(ResolvedConfigSecret.REGION);
    assertThat(ResolverKeys.S3_ENDPOINT).isEqualTo(ResolvedConfigSecret.S3_ENDPOINT);
    assertThat(ResolverKeys.S3_PORT).isEqualTo(ResolvedConfigSecret.S3_PORT);
    assertThat(ResolverKeys.S3_ADDRESSING_STYLE)
        .isEqualTo(ResolvedConfigSecret.S3_ADDRESSING_STYLE);
    assertThat(ResolverKeys.S3_BUCKET).isEqualTo(ResolvedConfigSecret.S3_BUCKET);
    assertThat(ResolverKeys.S3_LOCATOR_PATTERN).isEqualTo(ResolvedConfigSecret.S3_LOCATOR_PATTERN);
    assertThat(ResolverKeys.CA_CRT).isEqualTo(ResolvedConfigSecret.CA_CRT);
    assertThat(ResolverKeys.S3_PUBLIC_ENDPOINT_URL)
        .isEqualTo(ResolvedConfigSecret.S3_PUBLIC_ENDPOINT_URL);
    assertThat(ResolverKeys.INTEGRATION_JSON).isEqualTo(ResolvedConfigSecret.INTEGRATION_JSON);
  }

  @Test
  void scopeLabelValuesAndOwnerKindEqualTheOperators() {
    S3Integration owner = Fixtures.integration("ns", "viz");
    Secret all =
        Fixtures.secret(owner, "a", Fixtures.config("AK", "SK", "http://h:9000", "path", null));
    Secret one =
        Fixtures.secret(owner, "b", Fixtures.config("AK", "SK", "http://h:9000", "path", "media"));
    assertThat(all.getMetadata().getLabels())
        .containsEntry(ResolverKeys.SCOPE_LABEL, ResolverKeys.SCOPE_ALL_BUCKETS);
    assertThat(one.getMetadata().getLabels())
        .containsEntry(ResolverKeys.SCOPE_LABEL, ResolverKeys.SCOPE_BUCKET);
    assertThat(all.getMetadata().getOwnerReferences().get(0).getKind())
        .isEqualTo(ResolverKeys.INTEGRATION_KIND);
    assertThat(all.getMetadata().getOwnerReferences().get(0).getApiVersion())
        .startsWith(ResolverKeys.API_GROUP + "/");
  }

  @Test
  void readsEveryFieldTheOperatorWrites() {
    S3Integration owner = Fixtures.integration("team-a", "viz");
    String ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    ResolvedConfig config =
        new ResolvedConfig(
            "AKIA1",
            "s3cr3t",
            "https://s3.example:8443",
            "eu-west-1",
            "s3.example",
            8443,
            "virtual",
            "media.bucket",
            ca,
            "https://files.example.com",
            "/var/run/s3-integration");
    Route r = Route.fromSecret(ResolvedConfigSecret.build(owner, "viz-s3", config, Map.of()));

    assertThat(r.namespace()).isEqualTo("team-a");
    assertThat(r.secretName()).isEqualTo("viz-s3");
    assertThat(r.integration()).isEqualTo("viz");
    assertThat(r.bucket()).isEqualTo("media.bucket");
    assertThat(r.isDefault()).isFalse();
    assertThat(r.accessKeyId()).isEqualTo("AKIA1");
    assertThat(r.secretAccessKey()).isEqualTo("s3cr3t");
    assertThat(r.endpointUrl()).isEqualTo(URI.create("https://s3.example:8443"));
    assertThat(r.tls()).isTrue();
    assertThat(r.region()).isEqualTo("eu-west-1");
    assertThat(r.addressingStyle()).isEqualTo(Route.AddressingStyle.VIRTUAL);
    assertThat(r.locatorPattern()).isEqualTo("s3://media.bucket/*");
    assertThat(r.caPem()).isEqualTo(ca);
    assertThat(r.publicEndpointUrl()).isEqualTo(URI.create("https://files.example.com"));

    Route all =
        Route.fromSecret(
            ResolvedConfigSecret.build(
                owner,
                "viz-all",
                new ResolvedConfig(
                    "AK",
                    "SK",
                    "http://10.0.0.1",
                    "us-east-1",
                    "10.0.0.1",
                    null,
                    "path",
                    null,
                    null,
                    null,
                    "/var/run/s3-integration"),
                Map.of()));
    assertThat(all.isDefault()).isTrue();
    assertThat(all.bucket()).isNull();
    assertThat(all.locatorPattern()).isEqualTo("s3://*");
    assertThat(all.addressingStyle()).isEqualTo(Route.AddressingStyle.PATH);
    assertThat(all.tls()).isFalse();
    assertThat(all.caPem()).isNull();
    assertThat(all.publicEndpointUrl()).isNull();
  }
}
