package dev.integrations.s3.e2e;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.PolicyRef;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.ownership.OwnershipRecordSecret;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorProcess;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.minio.GetObjectArgs;
import io.minio.admin.MinioAdminClient;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator as the chart runs it (its own JVM, the chart's 384 MiB heap, exit on
 * OutOfMemoryError) on a real kube-apiserver and MinIO: fifty new managed integrations at once, and
 * SIGKILL at random points while integrations are created, changed and deleted.
 */
class OperatorUnderLoadE2E {
  static final int COUNT = 50;
  static KubeApiServer kube;
  static KubernetesClient client;
  static MinioServer minio;
  static MinioAdminClient rootAdmin;

  String ns;
  String operatorNs;
  String prefix;
  String bucketA;
  String bucketB;

  @BeforeAll
  static void start() {
    kube = KubeApiServer.shared();
    client = kube.client();
    minio = MinioServer.shared();
    rootAdmin = minio.rootAdmin();
  }

  /**
   * A namespace with a store (its own user prefix); for each integration a bucket with one object
   * and a policy for it (a namespace has at most one integration per bucket scope), and bucket B
   * with its policy, which changed integrations add.
   */
  private void setUp(String name) throws Exception {
    ns = kube.createNamespace(name);
    operatorNs = kube.createNamespace(name + "-op");
    prefix = name + MinioServer.randomAlnum(5).toLowerCase() + ".";
    bucketA = name + "-" + MinioServer.randomSuffix() + "-";
    bucketB = name + "-b-" + MinioServer.randomSuffix();
    for (int i = 0; i < COUNT; i++) {
      object(minio.rootS3(), bucketA + i, "a.txt", "alpha");
      client.resource(policy(ns, "read-" + i, bucketA + i)).create();
    }
    object(minio.rootS3(), bucketB, "b.txt", "beta");
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    S3Store store = store(ns, "minio", minio.host(), minio.port(), "minio-admin");
    store.getSpec().getAdmin().setUserPrefix(prefix);
    client.resource(store).create();
    client.resource(policy(ns, "read-b", bucketB)).create();
  }

  /** Integration {@code <name><i>}, scoped to bucket i, reading it through policy read-i. */
  private S3Integration integration(String name, int i) {
    S3Integration it = managed(ns, name + i, "minio", "read-" + i);
    it.getSpec().setBucket(bucketA + i);
    return it;
  }

  /**
   * The operator under test. With {@code argon2id} bodies (64 MiB each) the Argon2 bound is what
   * keeps fifty creations inside the heap; the default {@code pbkdf2} needs no bound.
   */
  private OperatorProcess operator(String name) throws Exception {
    return operator(name, "pbkdf2");
  }

  private OperatorProcess operator(String name, String bodyEncryption) throws Exception {
    return new OperatorProcess(
        kube.kubeConfigFile(),
        Map.of(
            "WATCH_NAMESPACES", ns,
            "OPERATOR_NAMESPACE", operatorNs,
            "RECONCILE_THREADS", "10",
            "ADMIN_BODY_ENCRYPTION", bodyEncryption),
        OperatorProcess.CHART_HEAP,
        name);
  }

  private List<S3Integration> integrations() {
    return client.resources(S3Integration.class).inNamespace(ns).list().getItems();
  }

  private static boolean readyForItsGeneration(S3Integration i) {
    return i.getStatus() != null
        && i.getMetadata().getDeletionTimestamp() == null
        && java.util.Objects.equals(
            i.getStatus().getObservedGeneration(), i.getMetadata().getGeneration())
        && i.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private Set<String> minioUsers() throws Exception {
    return rootAdmin.listUsers().keySet().stream()
        .filter(u -> u.startsWith(prefix))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private Set<String> minioPolicies() throws Exception {
    return rootAdmin.listCannedPolicies().keySet().stream()
        .filter(p -> p.startsWith("s3i-" + prefix))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private List<Secret> records() {
    return client
        .secrets()
        .inNamespace(operatorNs)
        .withLabel(OwnershipRecordSecret.LABEL)
        .list()
        .getItems();
  }

  private static String read(String user, String key, String bucket, String object) {
    try (InputStream in =
        minio
            .s3(user, key)
            .getObject(GetObjectArgs.builder().bucket(bucket).object(object).build())) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (Exception e) {
      return "unreadable: " + e.getClass().getSimpleName();
    }
  }

  private void deleteAllAndAwaitGone(Duration within) {
    client.resources(S3Integration.class).inNamespace(ns).delete();
    await()
        .atMost(within)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> integrations().isEmpty());
  }

  @ParameterizedTest(name = "admin bodies encrypted with {0}")
  @ValueSource(strings = {"argon2id", "pbkdf2"})
  void fiftyNewManagedIntegrationsAtOnceAllBecomeReadyWithinTheChartHeap(String bodyEncryption)
      throws Exception {
    setUp("load");
    try (OperatorProcess op = operator("fifty-" + bodyEncryption, bodyEncryption)) {
      op.start();
      long t0 = System.nanoTime();
      for (int i = 0; i < COUNT; i++) {
        client.resource(integration("i", i)).create();
      }
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  !op.alive()
                      || integrations().stream()
                              .filter(OperatorUnderLoadE2E::readyForItsGeneration)
                              .count()
                          == COUNT);
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(op.alive()).as("operator alive (see %s)", op.logFile()).isTrue();
      assertThat(op.outOfMemory()).isEmpty();
      OperatorProcess.GcSummary gc = op.gc();
      System.out.printf(
          "%d new managed integrations Ready in %.1f s with -Xmx%s, %s bodies; GC: %s%n",
          COUNT, seconds, OperatorProcess.CHART_HEAP, bodyEncryption, gc);
      assertThat(gc.pauses()).as("the GC log was read").isPositive();
      assertThat(minioUsers()).hasSize(COUNT);

      deleteAllAndAwaitGone(Duration.ofMinutes(3));
      assertThat(minioUsers()).isEmpty();
      assertThat(minioPolicies()).isEmpty();
      assertThat(records()).isEmpty();
    }
  }

  @Test
  void killedTwentyTimesWhileIntegrationsAreCreatedChangedAndDeletedLeavesNothingWrong()
      throws Exception {
    setUp("kill");
    long seed = Long.getLong("kill.seed", System.nanoTime());
    Random random = new Random(seed);
    AtomicReference<Throwable> driverFailed = new AtomicReference<>();
    Set<String> deleted = new TreeSet<>();
    Set<String> changed = new TreeSet<>();
    try (OperatorProcess op = operator("kill")) {
      Thread driver =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < COUNT; i++) {
                    client.resource(integration("k", i)).create();
                    Thread.sleep(600);
                  }
                  for (int i = 0; i < 25; i++) {
                    client
                        .resources(S3Integration.class)
                        .inNamespace(ns)
                        .withName("k" + i)
                        .edit(
                            it -> {
                              it.getSpec()
                                  .setAccessPolicyRefs(
                                      List.of(
                                          new PolicyRef(
                                              "read-"
                                                  + it.getSpec()
                                                      .getBucket()
                                                      .substring(bucketA.length())),
                                          new PolicyRef("read-b")));
                              return it;
                            });
                    synchronized (changed) {
                      changed.add("k" + i);
                    }
                    Thread.sleep(800);
                  }
                  for (int i = COUNT - 15; i < COUNT; i++) {
                    client
                        .resources(S3Integration.class)
                        .inNamespace(ns)
                        .withName("k" + i)
                        .delete();
                    synchronized (deleted) {
                      deleted.add("k" + i);
                    }
                    Thread.sleep(1000);
                  }
                } catch (Throwable t) {
                  driverFailed.set(t);
                }
              },
              "kill-test-driver");
      driver.start();
      List<Long> killedAfterMs = new ArrayList<>();
      for (int k = 0; k < 20; k++) {
        op.start();
        long after = 300 + random.nextInt(4000);
        Thread.sleep(after);
        op.kill();
        killedAfterMs.add(after);
      }
      driver.join(Duration.ofMinutes(3).toMillis());
      assertThat(driverFailed.get()).isNull();
      assertThat(driver.isAlive()).isFalse();

      long t0 = System.nanoTime();
      op.start(); // the 21st start: it must converge from whatever the kills left
      Set<String> remaining =
          IntStream.range(0, COUNT)
              .mapToObj(i -> "k" + i)
              .filter(n -> !deleted.contains(n))
              .collect(Collectors.toCollection(TreeSet::new));
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                List<S3Integration> now = integrations();
                return now.size() == remaining.size()
                    && now.stream().allMatch(OperatorUnderLoadE2E::readyForItsGeneration);
              });
      double convergeSeconds = (System.nanoTime() - t0) / 1e9;

      Set<String> expectedUsers =
          remaining.stream()
              .map(n -> prefix + ns + "." + n)
              .collect(Collectors.toCollection(TreeSet::new));
      Set<String> users = minioUsers();
      Set<String> policies = minioPolicies();
      List<Secret> records = records();
      Set<String> recordedUsers =
          records.stream()
              .map(r -> r.getMetadata().getAnnotations().get(OwnershipRecordSecret.USER_ANNOTATION))
              .collect(Collectors.toCollection(TreeSet::new));
      int lostSecrets = 0;
      int unreadable = 0;
      for (String name : remaining) {
        String scope = bucketA + name.substring(1);
        Secret s = client.secrets().inNamespace(ns).withName(name + "-s3").get();
        if (s == null) {
          lostSecrets++;
          continue;
        }
        String user = ResolvedConfigSecret.value(s, ResolvedConfigSecret.ACCESS_KEY_ID).orElse("");
        String key =
            ResolvedConfigSecret.value(s, ResolvedConfigSecret.SECRET_ACCESS_KEY).orElse("");
        boolean ok = read(user, key, scope, "a.txt").equals("alpha");
        if (changed.contains(name)) {
          ok &= read(user, key, bucketB, "b.txt").equals("beta");
        }
        if (!ok) {
          unreadable++;
        }
      }
      System.out.printf(
          "kill test (-Dkill.seed=%d): %d starts, SIGKILL after %s ms; converged in %.1f s; %d integrations left,"
              + " %d MinIO users, %d policies, %d records (%d orphaned users, %d orphaned"
              + " policies, %d duplicate records), %d lost Secrets, %d Secrets whose keys do not"
              + " read; GC: %s%n",
          seed,
          op.starts(),
          killedAfterMs,
          convergeSeconds,
          remaining.size(),
          users.size(),
          policies.size(),
          records.size(),
          users.stream().filter(u -> !expectedUsers.contains(u)).count(),
          policies.stream()
              .filter(p -> !expectedUsers.contains(p.substring("s3i-".length())))
              .count(),
          records.size() - recordedUsers.size(),
          lostSecrets,
          unreadable,
          op.gc());
      assertThat(users).isEqualTo(expectedUsers);
      assertThat(policies)
          .isEqualTo(expectedUsers.stream().map(u -> "s3i-" + u).collect(Collectors.toSet()));
      assertThat(records).hasSize(remaining.size());
      assertThat(recordedUsers).isEqualTo(expectedUsers);
      assertThat(lostSecrets).isZero();
      assertThat(unreadable).isZero();
      assertThat(op.outOfMemory()).isEmpty();

      deleteAllAndAwaitGone(Duration.ofMinutes(3));
      assertThat(minioUsers()).isEmpty();
      assertThat(records()).isEmpty();
    }
  }
}
