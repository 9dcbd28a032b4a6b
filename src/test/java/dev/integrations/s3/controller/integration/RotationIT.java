package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.RotationSpec;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.StoreRotation;
import dev.integrations.s3.ownership.OwnershipRecordSecret;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.minio.GetObjectArgs;
import io.minio.admin.MinioAdminClient;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Key rotation with overlap on a real MinIO: a consumer that reads through the Secret never sees a
 * dead key, the previous key dies when the overlap ends, a request rotates once per value, and a
 * rotation interrupted at any step converges to one current and at most one previous key. On the
 * real kube-apiserver with server-side apply, as in production.
 */
class RotationIT {
  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;
  static MinioAdminClient rootAdmin;

  String ns;
  String bucket;
  String user;

  @BeforeAll
  static void start() {
    minio = MinioServer.shared();
    rootAdmin = minio.rootAdmin();
    client = KubeApiServer.shared().client();
    op = new OperatorHarness(client, true);
  }

  @AfterAll
  static void stop() {
    op.close();
  }

  @AfterEach
  void clearFaults() {
    op.minioAdmin.clearFaults();
  }

  @BeforeEach
  void readyIntegration() throws Exception {
    ns = KubeApiServer.shared().createNamespace("rotate");
    bucket = "rotate-" + MinioServer.randomSuffix();
    object(minio.rootS3(), bucket, "a.txt", "alpha");
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    S3Store store = store(ns, "minio", minio.host(), minio.port(), "minio-admin");
    // requests spaced no more than the 10 s overlap already spaces them (the default is 10m)
    store.getSpec().setRotation(new StoreRotation());
    store.getSpec().getRotation().setMinRequestInterval("10s");
    client.resource(store).create();
    client.resource(policy(ns, "read", bucket)).create();
    S3Integration viz = managed(ns, "viz", "minio", "read");
    viz.getSpec().setRotation(new RotationSpec(null, "10s"));
    client.resource(viz).create();
    op.awaitReady(ns, "viz", "True", "Ready");
    user = ns + ".viz";
  }

  /** What a consumer holds: the Secret's keys. */
  record Keys(String id, String secret) {}

  private Keys secretKeys() {
    Secret s = op.secret(ns, "viz-s3");
    return new Keys(
        ResolvedConfigSecret.value(s, ResolvedConfigSecret.ACCESS_KEY_ID).orElse(null),
        ResolvedConfigSecret.value(s, ResolvedConfigSecret.SECRET_ACCESS_KEY).orElse(null));
  }

  private String read(Keys k) {
    try (InputStream in =
        minio
            .s3(k.id(), k.secret())
            .getObject(GetObjectArgs.builder().bucket(bucket).object("a.txt").build())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (Exception e) {
      return "refused: " + e.getClass().getSimpleName();
    }
  }

  /** Edits the integration as a user would, again when the operator's write came in between. */
  private void editViz(java.util.function.UnaryOperator<S3Integration> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client.resources(S3Integration.class).inNamespace(ns).withName("viz").edit(change);
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private void rotate(String value) {
    editViz(
        i -> {
          Map<String, String> a =
              i.getMetadata().getAnnotations() == null
                  ? new HashMap<>()
                  : new HashMap<>(i.getMetadata().getAnnotations());
          a.put(ApiGroup.ROTATE_ANNOTATION, value);
          i.getMetadata().setAnnotations(a);
          return i;
        });
  }

  private Set<String> serviceAccounts() throws Exception {
    return rootAdmin.listServiceAccount(user).accounts().stream()
        .map(a -> a.accessKey())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private Keys awaitSecretLeaves(Keys old) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !old.equals(secretKeys()));
    return secretKeys();
  }

  private void awaitOverlapOver() {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              var r = op.integration(ns, "viz").getStatus().getRotation();
              return r != null && r.getPreviousKeyId() == null;
            });
  }

  @Test
  void aConsumerReadingThroughTheSecretNeverFailsAndThePreviousKeyDiesAfterTheOverlap()
      throws Exception {
    Keys first = secretKeys();
    assertThat(first.id()).isEqualTo(user);
    String hashBefore =
        op.secret(ns, "viz-s3")
            .getMetadata()
            .getAnnotations()
            .get(ResolvedConfigSecret.CONFIG_HASH_ANNOTATION);

    // a consumer that re-reads the Secret for every request, as one restarted by a reloader would
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger reads = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    Set<String> keysSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Thread consumer =
        new Thread(
            () -> {
              while (running.get()) {
                Keys k = secretKeys();
                keysSeen.add(k.id());
                String got = read(k);
                reads.incrementAndGet();
                if (!got.equals("alpha")) {
                  failures.add(k.id() + ": " + got);
                }
              }
            });
    consumer.start();
    try {
      long t0 = System.nanoTime();
      rotate("1");
      Keys second = awaitSecretLeaves(first);
      long toSecretMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(
          "rotation 1 (user key -> service account): Secret held the new key after %d ms%n",
          toSecretMs);
      assertThat(second.id()).startsWith("S3I").hasSize(20);
      assertThat(read(first)).as("the previous key during the overlap").isEqualTo("alpha");
      assertThat(read(second)).isEqualTo("alpha");
      var status = op.integration(ns, "viz").getStatus().getRotation();
      assertThat(status.getCurrentKeyId()).isEqualTo(second.id());
      assertThat(status.getPreviousKeyId()).isEqualTo(user);
      assertThat(status.getPreviousValidUntil()).isNotNull();
      assertThat(
              op.secret(ns, "viz-s3")
                  .getMetadata()
                  .getAnnotations()
                  .get(ResolvedConfigSecret.CONFIG_HASH_ANNOTATION))
          .isNotEqualTo(hashBefore);

      awaitOverlapOver();
      assertThat(read(first)).as("the user's old key after the overlap").startsWith("refused");
      assertThat(read(second)).isEqualTo("alpha");

      // a second rotation: service account to service account
      t0 = System.nanoTime();
      rotate("2");
      Keys third = awaitSecretLeaves(second);
      System.out.printf(
          "rotation 2 (service account -> service account): Secret held the new key after %d ms%n",
          (System.nanoTime() - t0) / 1_000_000);
      assertThat(serviceAccounts()).containsExactlyInAnyOrder(second.id(), third.id());
      assertThat(read(second)).isEqualTo("alpha");
      awaitOverlapOver();
      assertThat(read(second)).startsWith("refused");
      assertThat(serviceAccounts()).containsExactly(third.id());
    } finally {
      running.set(false);
      consumer.join();
    }
    System.out.printf(
        "consumer: %d reads through the Secret during two rotations, %d failed, keys seen %s%n",
        reads.get(), failures.size(), keysSeen.size());
    assertThat(failures).isEmpty();
    assertThat(keysSeen).hasSize(3);
    assertThat(reads.get()).isGreaterThan(50);

    // the same value again rotates nothing; steady state on a service account writes nothing
    Keys now = secretKeys();
    int writes = op.minioAdmin.writes();
    String version = op.secret(ns, "viz-s3").getMetadata().getResourceVersion();
    rotate("2");
    op.touch(ns, "minio-admin", "again");
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(secretKeys()).isEqualTo(now);
    assertThat(op.minioAdmin.writes()).isEqualTo(writes);
    assertThat(op.secret(ns, "viz-s3").getMetadata().getResourceVersion()).isEqualTo(version);
    double age =
        op.registry.get("s3.operator.key.age").tags("namespace", ns, "name", "viz").gauge().value();
    assertThat(age).as("key age, seconds").isBetween(0.0, 120.0);
    assertThat(op.minioAdmin.count("createServiceAccount")).isPositive();
    assertThat(
            client.v1().events().inNamespace(ns).list().getItems().stream()
                .map(e -> e.getReason())
                .collect(Collectors.toSet()))
        .contains("KeyRotated", "KeyRetired");
  }

  private void spaceRequests(String interval) {
    client
        .resources(S3Store.class)
        .inNamespace(ns)
        .withName("minio")
        .edit(
            st -> {
              st.getSpec().getRotation().setMinRequestInterval(interval);
              return st;
            });
  }

  /**
   * Issue 21, item 15: the store spaces requested rotations. A request sooner than that after the
   * last rotation changes no key and says until when it waits; once allowed, it rotates.
   */
  @Test
  void aRequestSoonerThanTheStoresSpacingWaitsAndSaysUntilWhen() throws Exception {
    Keys first = secretKeys();
    rotate("1"); // on the user's own key: at once
    Keys second = awaitSecretLeaves(first);
    awaitOverlapOver();
    spaceRequests("1h");
    String version = op.secret(ns, "viz-s3").getMetadata().getResourceVersion();

    rotate("2");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                op.integration(ns, "viz").getStatus().getRotation().getRequestWaitingUntil()
                    != null);
    var waiting = op.integration(ns, "viz").getStatus().getRotation();
    assertThat(waiting.getCurrentKeyId()).isEqualTo(second.id());
    assertThat(java.time.Instant.parse(waiting.getRequestWaitingUntil()))
        .isEqualTo(java.time.Instant.parse(waiting.getIssuedTime()).plus(Duration.ofHours(1)));
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(secretKeys()).as("no key issued while the request waits").isEqualTo(second);
    assertThat(op.secret(ns, "viz-s3").getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(serviceAccounts()).containsExactly(second.id());

    spaceRequests("10s"); // the platform allows it: the waiting request is acted on
    Keys third = awaitSecretLeaves(second);
    assertThat(read(third)).isEqualTo("alpha");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                op.integration(ns, "viz").getStatus().getRotation().getRequestWaitingUntil()
                    == null);
  }

  @Test
  void deletionDuringTheOverlapRemovesBothKeys() throws Exception {
    editViz(
        i -> {
          i.getSpec().setRotation(new RotationSpec(null, "1h"));
          return i;
        });
    Keys first = secretKeys();
    rotate("now");
    Keys second = awaitSecretLeaves(first);
    assertThat(read(first)).isEqualTo("alpha");
    assertThat(read(second)).isEqualTo("alpha");

    client.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> op.integration(ns, "viz") == null);

    assertThat(read(first)).startsWith("refused");
    assertThat(read(second)).startsWith("refused");
    assertThat(op.minioAdmin.count("deleteServiceAccount", second.id())).isPositive();
  }

  @Test
  void aRotationInterruptedAtEveryStepConvergesAndNeverDeletesTheKeyTheSecretHolds()
      throws Exception {
    AtomicInteger crashes = new AtomicInteger();
    Keys first = secretKeys();

    // 1: after the record names the new key, before the key exists
    AtomicBoolean once = new AtomicBoolean();
    op.minioAdmin.inject(
        "createServiceAccount",
        k -> {
          if (once.compareAndSet(false, true)) {
            crashes.incrementAndGet();
            throw new IllegalStateException("crash after recording " + k);
          }
        });
    rotate("a");
    await().atMost(Duration.ofSeconds(20)).until(once::get);
    op.restart();
    Keys second = awaitSecretLeaves(first);
    assertThat(read(second)).isEqualTo("alpha");
    assertThat(read(first)).as("previous key, still in its overlap").isEqualTo("alpha");
    op.minioAdmin.clearFaults();
    awaitOverlapOver();

    // 2: after the key exists, before the Secret holds it
    AtomicBoolean twice = new AtomicBoolean();
    op.minioAdmin.injectAfter(
        "createServiceAccount",
        k -> {
          if (twice.compareAndSet(false, true)) {
            crashes.incrementAndGet();
            throw new IllegalStateException("crash after issuing " + k);
          }
        });
    rotate("b");
    await().atMost(Duration.ofSeconds(20)).until(twice::get);
    op.restart();
    Keys third = awaitSecretLeaves(second);
    assertThat(read(third)).isEqualTo("alpha");
    op.minioAdmin.clearFaults();

    // 3: after the previous key is deleted, before the record forgets it
    AtomicBoolean thrice = new AtomicBoolean();
    op.minioAdmin.injectAfter(
        "deleteServiceAccount",
        k -> {
          if (thrice.compareAndSet(false, true)) {
            crashes.incrementAndGet();
            throw new IllegalStateException("crash after deleting " + k);
          }
        });
    await().atMost(Duration.ofSeconds(60)).until(thrice::get);
    op.restart();
    awaitOverlapOver();
    op.minioAdmin.clearFaults();

    // converged: one current key, in the Secret, working; no previous one; one service account
    Keys settled = secretKeys();
    assertThat(settled).isEqualTo(third);
    assertThat(read(settled)).isEqualTo("alpha");
    assertThat(read(second)).startsWith("refused");
    assertThat(read(first)).startsWith("refused");
    assertThat(serviceAccounts()).containsExactly(third.id());
    List<Secret> records =
        client
            .secrets()
            .inNamespace(Fixtures.OPERATOR_NAMESPACE)
            .withLabel(OwnershipRecordSecret.LABEL)
            .list()
            .getItems()
            .stream()
            .filter(
                r ->
                    user.equals(
                        r.getMetadata()
                            .getAnnotations()
                            .get(OwnershipRecordSecret.USER_ANNOTATION)))
            .toList();
    assertThat(records).hasSize(1);
    assertThat(records.get(0).getMetadata().getAnnotations())
        .containsEntry(OwnershipRecordSecret.KEY_ID_ANNOTATION, third.id())
        .doesNotContainKey(OwnershipRecordSecret.PREVIOUS_KEY_ANNOTATION);
    assertThat(crashes.get()).isEqualTo(3);
    op.awaitReady(ns, "viz", "True", "Ready");
  }
}
