package dev.integrations.s3.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.testing.Endpoints;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The metering decorator counts each call by operation and outcome, and passes results through. */
class MeteredMinioAdminTest {

  /** A stand-in for the server: the decorator's behaviour does not depend on MinIO. */
  static final class FakeAdmin implements MinioAdmin {
    @Override
    public Optional<MinioUser> user(String accessKey) {
      return Optional.of(new MinioUser(accessKey, true, List.of("p")));
    }

    @Override
    public void createUser(String accessKey, String secretKey) {
      throw StorageException.adminCredentialsInvalid("rejected");
    }

    @Override
    public void deleteUser(String accessKey) {}

    @Override
    public void createServiceAccount(
        String parent, String accessKey, String secretKey, java.time.Instant expiration) {}

    @Override
    public void deleteServiceAccount(String accessKey) {}

    @Override
    public Optional<String> policy(String name) {
      return Optional.empty();
    }

    @Override
    public void putPolicy(String name, String document) {
      throw new IllegalStateException("boom");
    }

    @Override
    public void deletePolicy(String name) {}

    @Override
    public void attachPolicy(String accessKey, String policyName) {}

    @Override
    public void detachAllPolicies(String accessKey) {}
  }

  @Test
  void countsByOperationAndOutcome() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MinioAdmin admin =
        new MeteredMinioAdmin((e, a, s) -> new FakeAdmin(), registry)
            .connect(Endpoints.of("h", null, false, "us-east-1"), "a", "s");

    assertThat(admin.user("u"))
        .hasValueSatisfying(u -> assertThat(u.policies()).containsExactly("p"));
    admin.user("u");
    assertThatThrownBy(() -> admin.createUser("u", "k")).isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> admin.putPolicy("p", "{}")).isInstanceOf(IllegalStateException.class);
    admin.attachPolicy("u", "p");

    assertThat(count(registry, "user", "ok")).isEqualTo(2);
    assertThat(count(registry, "createUser", "AdminCredentialsInvalid")).isEqualTo(1);
    assertThat(count(registry, "putPolicy", "error")).isEqualTo(1);
    assertThat(count(registry, "attachPolicy", "ok")).isEqualTo(1);
    assertThat(count(registry, "deleteUser", "ok")).isZero();
  }

  private static double count(SimpleMeterRegistry r, String op, String outcome) {
    var c = r.find(MeteredMinioAdmin.METRIC).tag("operation", op).tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }
}
