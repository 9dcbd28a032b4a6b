package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static dev.integrations.s3.testing.Fixtures.validateOnly;
import static dev.integrations.s3.testing.Fixtures.validateOnlyStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.testing.HostileS3Server;
import dev.integrations.s3.testing.HostileS3Server.Mode;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Storage endpoints that misbehave (an endless body, a body dripped byte by byte, answers that are
 * not S3) cost the operator a bounded amount of memory and time, end in a clear reason, and do not
 * hold up integrations on healthy storage.
 */
@EnableKubernetesMockClient(crud = true)
class HostileEndpointMockIT {
  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;
  static final Map<Mode, HostileS3Server> SERVERS = new EnumMap<>(Mode.class);

  @BeforeAll
  static void start() throws Exception {
    minio = MinioServer.shared();
    op = new OperatorHarness(client, false);
    for (Mode m : Mode.values()) {
      SERVERS.put(m, new HostileS3Server(m));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    op.close();
    for (HostileS3Server s : SERVERS.values()) {
      s.close();
    }
  }

  static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** A namespace with a managed and a validate-only integration on this hostile endpoint. */
  private static String hostileNamespace(Mode mode) {
    String ns =
        "hostile-" + mode.name().toLowerCase().replace('_', '-') + "-" + MinioServer.randomSuffix();
    int port = SERVERS.get(mode).port();
    client
        .resource(
            adminSecret(
                ns,
                "admin",
                "admin" + MinioServer.randomAlnum(6),
                "S" + MinioServer.randomAlnum(30)))
        .create();
    client
        .resource(
            adminSecret(
                ns, "own", "own" + MinioServer.randomAlnum(6), "S" + MinioServer.randomAlnum(30)))
        .create();
    client.resource(store(ns, "managed", "127.0.0.1", port, "admin")).create();
    client.resource(validateOnlyStore(ns, "given", "127.0.0.1", port)).create();
    client.resource(policy(ns, "read", "media")).create();
    client.resource(managed(ns, "viz", "managed", "read")).create();
    client.resource(validateOnly(ns, "own", "given", "own", "media")).create();
    return ns;
  }

  private static Condition awaitNotReady(String ns, String name, String reason) {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(op.condition(ns, name, "Ready"))
                    .as("%s/%s", ns, name)
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("False");
                          assertThat(c.getReason()).isEqualTo(reason);
                        }));
    return op.condition(ns, name, "Ready").orElseThrow();
  }

  @Test
  void misbehavingStorageEndsInAClearReasonWithinBoundsWhileHealthyStorageGoesOn()
      throws Exception {
    long heapBefore = usedHeapAfterGc();
    Map<Mode, String> namespaces = new EnumMap<>(Mode.class);
    for (Mode m : Mode.values()) {
      namespaces.put(m, hostileNamespace(m));
    }

    // an integration on the real MinIO, created after the hostile ones, is not held up by them
    String bucket = "healthy-" + MinioServer.randomSuffix();
    String healthy = "healthy-" + MinioServer.randomSuffix();
    object(minio.rootS3(), bucket, "a.txt", "a");
    client
        .resource(adminSecret(healthy, "minio-admin", minio.accessKey(), minio.secretKey()))
        .create();
    client.resource(store(healthy, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(policy(healthy, "read", bucket)).create();
    long created = System.nanoTime();
    client.resource(managed(healthy, "viz", "minio", "read")).create();
    op.awaitReady(healthy, "viz", "True", "Ready");
    Duration healthyReady = Duration.ofNanos(System.nanoTime() - created);
    System.out.printf(
        "healthy integration Ready in %d ms beside the hostile endpoints%n",
        healthyReady.toMillis());
    assertThat(healthyReady).isLessThan(Duration.ofSeconds(30));

    int endless = SERVERS.get(Mode.ENDLESS_BODY).port();
    for (String name : new String[] {"viz", "own"}) {
      assertThat(
              awaitNotReady(namespaces.get(Mode.ENDLESS_BODY), name, "StorageError").getMessage())
          .contains("127.0.0.1:" + endless)
          .contains("more than 1048576 bytes");
    }
    for (String name : new String[] {"viz", "own"}) {
      assertThat(awaitNotReady(namespaces.get(Mode.DRIP), name, "EndpointUnreachable").getMessage())
          // the same words for a server dripping bytes as for a closed or filtered port: a tenant's
          // S3Store is no port scanner (the operator's log has "timed out talking to ...")
          .isEqualTo(
              "cannot reach http://127.0.0.1:"
                  + SERVERS.get(Mode.DRIP).port()
                  + " as S3 storage: nothing answers there, something else does, or its TLS does"
                  + " not match tls.enabled and tls.caSecretRef (the operator's log has the"
                  + " detail)");
      assertThat(awaitNotReady(namespaces.get(Mode.MALFORMED), name, "StorageError").getMessage())
          .contains("127.0.0.1:" + SERVERS.get(Mode.MALFORMED).port());
    }

    HostileS3Server endlessServer = SERVERS.get(Mode.ENDLESS_BODY);
    long heapAfter = usedHeapAfterGc();
    System.out.printf(
        "endless body: %d requests, %d MiB sent in all, at most %d KiB to one connection;"
            + " heap after GC %d -> %d MiB%n",
        endlessServer.requests(),
        endlessServer.bytesSent() >> 20,
        endlessServer.maxBytesPerConnection() >> 10,
        heapBefore >> 20,
        heapAfter >> 20);
    assertThat(endlessServer.requests()).isPositive();
    assertThat(endlessServer.maxBytesPerConnection())
        .as(
            "bytes one connection was sent before the operator hung up (1 MiB cap + socket buffers)")
        .isLessThan(16L << 20);
    assertThat(heapAfter - heapBefore).as("heap growth, bytes").isLessThan(64L << 20);
    assertThat(op.integration(healthy, "viz").getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("Ready"));
  }
}
