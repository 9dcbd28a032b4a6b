package dev.integrations.s3.e2e;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.BucketAccess;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorProcess;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, item 5: one tenant cannot run the operator out of memory. The operator as the chart
 * runs it (its own JVM, the 384 MiB heap, exit on OutOfMemoryError) watches a namespace where a
 * tenant creates {@value #POLICIES} of the largest S3AccessPolicies the CRD allows and {@value
 * #SECRETS} Secrets of {@value #SECRET_MIB} MiB carrying the operator's own labels.
 *
 * <p>Before: a policy could be 1.4 MB, cached twice at about 1.5 MiB a copy (120 filled the heap),
 * and every labelled Secret was cached with its data: {@value #SECRETS} x 1.33 MiB of base64
 * strings, about 530 MiB, more than the heap. Now a maximal policy costs about 136 KiB in the
 * policy controller's cache and 84 KiB in the integration controller's pruned copy ({@code
 * PolicyCopySizeTest}), and a labelled Secret no integration controls is cached without its data.
 * The scale is kept (400 Secrets); writing them takes etcd about 90 s on two shared cores.
 */
class TenantMemoryE2E {
  static final int POLICIES = 200;
  static final int SECRETS = 400;
  static final int SECRET_MIB = 1;

  /**
   * The bound on the heap's growth: the policies' two copies (about 200 x 184 KiB, 36 MiB) and room
   * for the metadata of the Secrets and the collector's timing; the Secrets' data alone would be
   * 266 MiB.
   */
  static final long GROWTH_BOUND_MIB = 96;

  @Test
  void maximalPoliciesAndLabelledSecretsOfATenantStayWithinTheChartHeap() throws Exception {
    KubeApiServer kube = KubeApiServer.shared();
    KubernetesClient client = kube.client();
    MinioServer minio = MinioServer.shared();
    String ns = kube.createNamespace("tenant-mem");
    String operatorNs = kube.createNamespace("tenant-mem-op");
    String bucket = "tenant-mem-" + MinioServer.randomSuffix();
    object(minio.rootS3(), bucket, "a.txt", "alpha");
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    var s = store(ns, "minio", minio.host(), minio.port(), "minio-admin");
    s.getSpec().getAdmin().setUserPrefix("tm" + MinioServer.randomAlnum(5).toLowerCase() + ".");
    client.resource(s).create();
    client.resource(policy(ns, "read", bucket)).create();
    S3Integration viz = managed(ns, "viz", "minio", "read");
    viz.getSpec().setBucket(bucket);
    client.resource(viz).create();

    try (OperatorProcess op =
        new OperatorProcess(
            kube.kubeConfigFile(),
            Map.of("WATCH_NAMESPACES", ns, "OPERATOR_NAMESPACE", operatorNs),
            OperatorProcess.CHART_HEAP,
            "tenant-memory")) {
      op.start();
      awaitReady(client, ns, "viz", Duration.ofMinutes(2));
      long before = heapAfterGcMiB(op);
      long t0 = System.nanoTime();

      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<java.util.concurrent.Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < POLICIES; i++) {
        S3AccessPolicy p = policy(ns, "maximal-" + i, bucket);
        p.getSpec().setBuckets(maximalBuckets(i));
        writes.add(pool.submit(() -> client.resource(p).create()));
      }
      for (int i = 0; i < SECRETS; i++) {
        int n = i;
        writes.add(pool.submit(() -> client.resource(labelledSecret(ns, n)).create()));
      }
      for (var w : writes) {
        w.get(5, TimeUnit.MINUTES);
      }
      pool.shutdown();
      double writeSeconds = (System.nanoTime() - t0) / 1e9;

      // every policy was reconciled (its status written), so the policy controller has them all;
      // the other informers had the same time to receive the Secrets and the policies
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () ->
                  !op.alive()
                      || client
                              .resources(S3AccessPolicy.class)
                              .inNamespace(ns)
                              .list()
                              .getItems()
                              .stream()
                              .filter(p -> p.getMetadata().getName().startsWith("maximal-"))
                              .filter(p -> p.getStatus() != null)
                              .filter(p -> !p.getStatus().getConditions().isEmpty())
                              .count()
                          == POLICIES);
      assertThat(op.alive()).as("operator alive (see %s)", op.logFile()).isTrue();
      Thread.sleep(10_000);
      // the operator still works: a change to its admin Secret reconciles the integration
      client
          .secrets()
          .inNamespace(ns)
          .withName("minio-admin")
          .edit(
              x -> {
                x.getMetadata().setAnnotations(Map.of("touched", "after-burst"));
                return x;
              });
      awaitReady(client, ns, "viz", Duration.ofMinutes(1));

      long after = heapAfterGcMiB(op);
      OperatorProcess.GcSummary gc = op.gc();
      System.out.printf(
          "tenant memory: %d maximal policies and %d labelled Secrets of %d MiB written in %.0f s;"
              + " operator heap after GC %d MiB before, %d MiB after (grew %d MiB, bound %d);"
              + " RSS %d MiB; GC: %s%n",
          POLICIES,
          SECRETS,
          SECRET_MIB,
          writeSeconds,
          before,
          after,
          after - before,
          GROWTH_BOUND_MIB,
          op.rssMib(),
          gc);
      assertThat(op.alive()).as("operator alive (see %s)", op.logFile()).isTrue();
      assertThat(op.starts()).as("never restarted").isEqualTo(1);
      assertThat(op.outOfMemory()).isEmpty();
      assertThat(after - before).as("heap growth in MiB").isLessThan(GROWTH_BOUND_MIB);
      assertThat(gc.maxAfterFullMiB())
          .as("the live set after any full collection of the run, MiB")
          .isLessThan(before + GROWTH_BOUND_MIB);
    } finally {
      client.secrets().inNamespace(ns).withLabel("tenant-mem").delete();
      client.resources(S3AccessPolicy.class).inNamespace(ns).delete();
    }
  }

  /** 100 buckets of 10 prefixes of 20 characters: 1,000 prefixes, the CRD's bound. */
  static List<BucketAccess> maximalBuckets(int policy) {
    List<BucketAccess> buckets = new ArrayList<>();
    for (int b = 0; b < 100; b++) {
      List<String> prefixes = new ArrayList<>();
      for (int p = 0; p < 10; p++) {
        String prefix = String.format("p%03d-%03d-%03d/", policy, b, p);
        prefixes.add(prefix + "x".repeat(20 - prefix.length()));
      }
      buckets.add(new BucketAccess(String.format("bucket-%03d-", b) + "b".repeat(52), prefixes));
    }
    return buckets;
  }

  /** A tenant's Secret with the operator's labels and no owner: 1 MiB of random data. */
  static Secret labelledSecret(String ns, int i) {
    byte[] payload = new byte[SECRET_MIB * 1024 * 1024];
    new Random(i).nextBytes(payload);
    return new SecretBuilder()
        .withNewMetadata()
        .withName("labelled-" + i)
        .withNamespace(ns)
        .withLabels(
            Map.of(
                "app.kubernetes.io/managed-by", "s3-integration-operator",
                "s3.integrations.dev/integration", "viz",
                "tenant-mem", "true"))
        .endMetadata()
        .withType("Opaque")
        .withData(Map.of("blob", Base64.getEncoder().encodeToString(payload)))
        .build();
  }

  static void awaitReady(KubernetesClient client, String ns, String name, Duration within) {
    await()
        .atMost(within)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              S3Integration i =
                  client.resources(S3Integration.class).inNamespace(ns).withName(name).get();
              return i != null
                  && i.getStatus() != null
                  && i.getStatus().getConditions().stream()
                      .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            });
  }

  /** The operator's used heap after a full collection it was asked for (jcmd GC.run), in MiB. */
  static long heapAfterGcMiB(OperatorProcess op) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    new ProcessBuilder(jcmd, String.valueOf(op.pid()), "GC.run")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor(60, TimeUnit.SECONDS);
    Thread.sleep(500);
    double used = 0;
    for (String line : op.metrics().split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        used += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    assertThat(used).as("jvm_memory_used_bytes{area=heap} in the operator's metrics").isPositive();
    return Math.round(used / (1024 * 1024));
  }
}
