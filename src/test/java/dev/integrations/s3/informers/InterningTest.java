package dev.integrations.s3.informers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** Two objects read separately share their common strings after interning, and nothing else. */
class InterningTest {
  private static Secret read(String name, String key) {
    // each informer read deserializes its own strings, as this does
    return Serialization.unmarshal(
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"type\":\"Opaque\",\"metadata\":{\"name\":\""
            + name
            + "\",\"namespace\":\"team-a\",\"labels\":{\"app.kubernetes.io/managed-by\":"
            + "\"s3-integration-operator\",\"s3.integrations.dev/integration\":\""
            + name
            + "\"}},\"data\":{\"AWS_ENDPOINT_URL\":\"aHR0cDovL21pbmlvOjkwMDA=\","
            + "\"AWS_SECRET_ACCESS_KEY\":\""
            + key
            + "\"}}",
        Secret.class);
  }

  @Test
  void sharedValuesBecomeOneCopyAndSecretsStayTheirOwn() {
    Secret a = read("viz-s3", "c2VjcmV0MQ==");
    Secret b = read("web-s3", "c2VjcmV0MQ==");
    assertThat(a.getMetadata().getNamespace()).isNotSameAs(b.getMetadata().getNamespace());

    Interning.secret(a);
    Interning.secret(b);

    assertThat(a.getMetadata().getNamespace()).isSameAs(b.getMetadata().getNamespace());
    assertThat(a.getData().get("AWS_ENDPOINT_URL")).isSameAs(b.getData().get("AWS_ENDPOINT_URL"));
    assertThat(a.getMetadata().getLabels().get("app.kubernetes.io/managed-by"))
        .isSameAs(b.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
    assertThat(a.getData().get("AWS_SECRET_ACCESS_KEY"))
        .as("a secret key is never put into the JVM's string table")
        .isEqualTo(b.getData().get("AWS_SECRET_ACCESS_KEY"))
        .isNotSameAs(b.getData().get("AWS_SECRET_ACCESS_KEY"));
    assertThat(a.getMetadata().getLabels().get("s3.integrations.dev/integration"))
        .isEqualTo("viz-s3");
    assertThat(a).isEqualTo(read("viz-s3", "c2VjcmV0MQ=="));
  }
}
