package dev.integrations.s3.e2e;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's memory does not grow with the Secrets of the namespaces it watches: 500 unrelated
 * Secrets of 100 KiB each (Helm releases, other teams' keys, service-account tokens in a real
 * cluster) are neither held by its informers nor kept on its heap, while the Secrets it is pointed
 * at still trigger it at once. On a real kube-apiserver, with the operator's production settings.
 */
class UnrelatedSecretsIT {
  static final int COUNT = 500;
  static final int SIZE = 100 * 1024;
  static final String LABEL = "test.s3.integrations.dev/unrelated";

  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;

  @BeforeAll
  static void start() {
    minio = MinioServer.shared();
    client = KubeApiServer.shared().client();
    op = new OperatorHarness(client, true);
  }

  @AfterAll
  static void stop() {
    if (op != null) {
      op.close();
    }
    client.secrets().inAnyNamespace().withLabel(LABEL).delete();
  }

  @Test
  void fiveHundredUnrelatedSecretsAreNotCachedAndDoNotGrowTheHeap() throws Exception {
    String ns = KubeApiServer.shared().createNamespace("mem");
    String other = KubeApiServer.shared().createNamespace("mem-other");
    String bucket = "mem-" + MinioServer.randomSuffix();
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    object(minio.rootS3(), bucket, "a.txt", "a");
    client.resource(policy(ns, "read", bucket)).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();
    op.awaitReady(ns, "viz", "True", "Ready");

    long cachedBefore = op.cachedSecrets();
    long heapBefore = usedHeapAfterGc();

    ExecutorService pool = Executors.newFixedThreadPool(4);
    Random random = new Random(42);
    for (int i = 0; i < COUNT; i++) {
      byte[] payload = new byte[SIZE];
      random.nextBytes(payload);
      Secret s =
          new SecretBuilder()
              .withNewMetadata()
              .withName("unrelated-" + i)
              .withNamespace(i % 2 == 0 ? ns : other)
              .withLabels(Map.of(LABEL, "true"))
              .endMetadata()
              .withType("Opaque")
              .withData(Map.of("blob", Base64.getEncoder().encodeToString(payload)))
              .build();
      pool.submit(() -> client.resource(s).create());
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
    assertThat(client.secrets().inAnyNamespace().withLabel(LABEL).list().getItems()).hasSize(COUNT);

    // The Secrets the operator is pointed at still reach it at once (the watch is alive after the
    // burst): a changed admin Secret makes the integration reconcile, which reads the user.
    String user = ns + ".viz";
    int reads = op.minioAdmin.count("user", user);
    op.touch(ns, "minio-admin", "after-burst");
    await().atMost(Duration.ofSeconds(20)).until(() -> op.minioAdmin.count("user", user) > reads);

    long cachedAfter = op.cachedSecrets();
    long heapAfter = usedHeapAfterGc();
    long grownMiB = (heapAfter - heapBefore) / (1024 * 1024);
    System.out.printf(
        "unrelated Secrets: %d x %d KiB; cached Secrets before %d, after %d; used heap before %d"
            + " MiB, after %d MiB (grew %d MiB)%n",
        COUNT,
        SIZE / 1024,
        cachedBefore,
        cachedAfter,
        heapBefore / (1024 * 1024),
        heapAfter / (1024 * 1024),
        grownMiB);
    assertThat(cachedAfter).as("Secrets held by the operator's informers").isEqualTo(cachedBefore);
    // Cached, they would take about 65 MiB (their base64 data alone).
    assertThat(grownMiB).as("heap growth in MiB").isLessThan(16);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
