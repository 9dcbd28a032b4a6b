package dev.integrations.s3.bench;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.minio.MeteredMinioAdmin;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints how long the operator takes to bring N managed integrations to Ready on the real
 * kube-apiserver and MinIO, what it asked MinIO for, and what a steady-state reconcile costs.
 * Numbers, not assertions: run {@code scripts/bench [N]}.
 */
public final class ReconcileBenchmark {
  private ReconcileBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    MinioServer minio = MinioServer.shared();
    KubeApiServer kube = KubeApiServer.shared();
    KubernetesClient client = kube.client();
    String bucket = "bench-" + MinioServer.randomSuffix();
    object(minio.rootS3(), bucket, "a.png", "png");
    // One integration per namespace: at most one may apply to all buckets in a namespace.
    List<String> namespaces = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String ns = kube.createNamespace("bench");
      namespaces.add(ns);
      client
          .resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey()))
          .create();
      client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
      client.resource(policy(ns, "read", bucket)).create();
    }

    try (OperatorHarness op = new OperatorHarness(client, true)) {
      Instant start = Instant.now();
      for (String ns : namespaces) {
        client.resource(managed(ns, "viz", "minio", "read")).create();
      }
      List<Long> readyMillis = awaitAllReady(client, n, start);
      Duration total = Duration.between(start, Instant.now());
      Collections.sort(readyMillis);
      System.out.printf("%n== %d managed integrations on kube-apiserver + MinIO (2 cores)%n", n);
      System.out.printf(
          "all Ready after %.1f s; time to Ready p50 %d ms, p95 %d ms, max %d ms%n",
          total.toMillis() / 1000.0,
          readyMillis.get(n / 2),
          readyMillis.get(Math.min(n - 1, (int) Math.ceil(n * 0.95) - 1)),
          readyMillis.get(n - 1));
      printAdminCalls(op, "MinIO admin calls to get there");

      Map<String, Double> before = calls(op);
      op.minioAdmin.reset();
      Instant t = Instant.now();
      int rounds = 3;
      for (int r = 0; r < rounds; r++) {
        for (String ns : namespaces) {
          op.touch(ns, "minio-admin", "bench" + r);
        }
        int expected = n * (r + 1);
        while (op.minioAdmin.count("user") < expected
            && Duration.between(t, Instant.now()).toSeconds() < 120) {
          Thread.sleep(50);
        }
      }
      Duration steady = Duration.between(t, Instant.now());
      int reconciles = op.minioAdmin.count("user");
      System.out.printf(
          "steady state: %d reconciles (touching each admin Secret %d times) in %.1f s,"
              + " %.1f ms each on average; MinIO writes: %d%n",
          reconciles,
          rounds,
          steady.toMillis() / 1000.0,
          reconciles == 0 ? 0.0 : steady.toMillis() / (double) reconciles,
          op.minioAdmin.writes());
      Map<String, Double> after = calls(op);
      after.replaceAll((k, v) -> v - before.getOrDefault(k, 0.0));
      after.values().removeIf(v -> v == 0);
      System.out.println("MinIO admin calls in steady state: " + after);
    }
    System.exit(0);
  }

  private static List<Long> awaitAllReady(KubernetesClient client, int n, Instant start)
      throws InterruptedException {
    Map<String, Long> ready = new TreeMap<>();
    while (ready.size() < n && Duration.between(start, Instant.now()).toMinutes() < 10) {
      for (S3Integration i :
          client.resources(S3Integration.class).inAnyNamespace().list().getItems()) {
        if (ready.containsKey(i.getMetadata().getNamespace()) || i.getStatus() == null) {
          continue;
        }
        for (Condition c : i.getStatus().getConditions()) {
          if ("Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
            ready.put(
                i.getMetadata().getNamespace(), Duration.between(start, Instant.now()).toMillis());
          }
        }
      }
      Thread.sleep(100);
    }
    if (ready.size() < n) {
      throw new IllegalStateException("only " + ready.size() + " of " + n + " became Ready");
    }
    return new ArrayList<>(ready.values());
  }

  private static Map<String, Double> calls(OperatorHarness op) {
    Map<String, Double> m = new TreeMap<>();
    op.registry.find(MeteredMinioAdmin.METRIC).counters().stream()
        .forEach(
            (Counter c) ->
                m.merge(
                    c.getId().getTag("operation") + "/" + c.getId().getTag("outcome"),
                    c.count(),
                    Double::sum));
    return m;
  }

  private static void printAdminCalls(OperatorHarness op, String title) {
    System.out.println(title + ": " + calls(op));
  }
}
