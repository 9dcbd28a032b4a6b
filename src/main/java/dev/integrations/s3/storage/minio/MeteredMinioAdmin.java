package dev.integrations.s3.storage.minio;

import dev.integrations.s3.metrics.MetricNames;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.StorageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Counts MinIO admin calls by operation and outcome ({@code ok}, or the failure's reason), as the
 * Prometheus metric {@code s3_operator_minio_admin_calls_total}. A steady state shows up as reads
 * only; any write in it is visible on a dashboard.
 */
public final class MeteredMinioAdmin implements MinioAdminFactory {
  public static final String METRIC = MetricNames.MINIO_ADMIN_CALLS;

  private final MinioAdminFactory delegate;
  private final MeterRegistry registry;

  public MeteredMinioAdmin(MinioAdminFactory delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  @Override
  public MinioAdmin connect(StorageEndpoint endpoint, String accessKey, String secretKey) {
    MinioAdmin real = delegate.connect(endpoint, accessKey, secretKey);
    return new MinioAdmin() {
      @Override
      public Optional<MinioUser> user(String name) {
        return metered("user", () -> real.user(name));
      }

      @Override
      public void createUser(String name, String key) {
        metered("createUser", () -> run(() -> real.createUser(name, key)));
      }

      @Override
      public void deleteUser(String name) {
        metered("deleteUser", () -> run(() -> real.deleteUser(name)));
      }

      @Override
      public void createServiceAccount(
          String parent, String key, String secret, java.time.Instant expiration) {
        metered(
            "createServiceAccount",
            () -> run(() -> real.createServiceAccount(parent, key, secret, expiration)));
      }

      @Override
      public void deleteServiceAccount(String key) {
        metered("deleteServiceAccount", () -> run(() -> real.deleteServiceAccount(key)));
      }

      @Override
      public Optional<String> policy(String name) {
        return metered("policy", () -> real.policy(name));
      }

      @Override
      public void putPolicy(String name, String document) {
        metered("putPolicy", () -> run(() -> real.putPolicy(name, document)));
      }

      @Override
      public void deletePolicy(String name) {
        metered("deletePolicy", () -> run(() -> real.deletePolicy(name)));
      }

      @Override
      public void attachPolicy(String user, String policy) {
        metered("attachPolicy", () -> run(() -> real.attachPolicy(user, policy)));
      }

      @Override
      public void detachAllPolicies(String user) {
        metered("detachAllPolicies", () -> run(() -> real.detachAllPolicies(user)));
      }
    };
  }

  private <T> T metered(String operation, Supplier<T> call) {
    try {
      T result = call.get();
      count(operation, "ok");
      return result;
    } catch (StorageException e) {
      count(operation, e.reason());
      throw e;
    } catch (RuntimeException e) {
      count(operation, "error");
      throw e;
    }
  }

  private static Object run(Runnable r) {
    r.run();
    return null;
  }

  private void count(String operation, String outcome) {
    Counter.builder(METRIC)
        .description("MinIO admin API calls by operation and outcome")
        .tag(MetricNames.OPERATION, operation)
        .tag(MetricNames.OUTCOME, outcome)
        .register(registry)
        .increment();
  }
}
