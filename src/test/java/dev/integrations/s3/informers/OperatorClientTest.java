package dev.integrations.s3.informers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class OperatorClientTest {
  private final KubernetesSerialization serialization = OperatorClient.serialization();

  @Test
  void readsObjectsWithoutManagedFieldsAndEverythingElseIntact() {
    String json =
        """
        {"apiVersion": "v1", "kind": "Secret",
         "metadata": {"name": "viz-s3", "namespace": "team-a", "resourceVersion": "7",
           "labels": {"app.kubernetes.io/managed-by": "s3-integration-operator"},
           "managedFields": [{"manager": "s3integration", "operation": "Apply",
             "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {"f:AWS_REGION": {}}}}]},
         "data": {"AWS_REGION": "dXMtZWFzdC0x"}}
        """;
    Secret s = serialization.unmarshal(json, Secret.class);
    assertThat(s.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(s.getMetadata().getAdditionalProperties()).doesNotContainKey("managedFields");
    assertThat(s.getMetadata().getName()).isEqualTo("viz-s3");
    assertThat(s.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(s.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "s3-integration-operator");
    assertThat(s.getData()).containsEntry("AWS_REGION", "dXMtZWFzdC0x");
  }

  @Test
  void writesWhatItIsGiven() {
    Secret s =
        new SecretBuilder()
            .withNewMetadata()
            .withName("x")
            .addToManagedFields(new ManagedFieldsEntryBuilder().withManager("m").build())
            .endMetadata()
            .build();
    assertThat(serialization.asJson(s)).contains("\"managedFields\"").contains("\"manager\":\"m\"");
  }
}
