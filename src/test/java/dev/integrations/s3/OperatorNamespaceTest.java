package dev.integrations.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrations.s3.config.OperatorConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;

/**
 * Where the ownership records live. They decide which MinIO users the operator resets and deletes,
 * so they must be where only the operator writes; outside a pod, with no namespace configured, the
 * operator refuses to start rather than fall back to {@code default}.
 */
class OperatorNamespaceTest {
  static KubernetesClient client(String namespace) {
    Config c =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("https://127.0.0.1:1")
            .withNamespace(namespace)
            .build();
    return new KubernetesClientBuilder().withConfig(c).build();
  }

  @Test
  void noNamespaceAnywhereIsRefusedNotDefault() {
    try (KubernetesClient client = client(null)) {
      assertThatThrownBy(() -> OperatorFactory.operatorNamespace(OperatorConfig.defaults(), client))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("OPERATOR_NAMESPACE is not set");
    }
  }

  @Test
  void theSettingOrTheClientsNamespaceIsUsed() {
    try (KubernetesClient client = client("from-context")) {
      assertThat(OperatorFactory.operatorNamespace(OperatorConfig.defaults(), client))
          .isEqualTo("from-context");
      assertThat(
              OperatorFactory.operatorNamespace(
                  OperatorConfig.defaults().withOperatorNamespace("s3-operator"), client))
          .isEqualTo("s3-operator");
    }
  }
}
