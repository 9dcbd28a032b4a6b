package dev.integrations.s3.testing;

import dev.integrations.s3.OperatorFactory;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.storage.minio.MinioAdminClientAdapter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;

/**
 * The production operator wiring on the fabric8 mock API server in CRUD mode. The mock has no
 * server-side apply, so SSA is off; everything else is as {@code Main} builds it.
 */
public final class MockOperator {
  private MockOperator() {}

  public static Operator start(KubernetesClient client) {
    Operator operator =
        OperatorFactory.create(
            client,
            OperatorConfig.defaults(),
            new SimpleMeterRegistry(),
            Clock.systemUTC(),
            MinioAdminClientAdapter::connect,
            false);
    operator.start();
    return operator;
  }
}
