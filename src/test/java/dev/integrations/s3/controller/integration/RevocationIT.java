package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.allow;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.DeletionPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
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
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Revocation whatever the tenant does, on the real API server and a real MinIO: a tenant saves the
 * keys of a working integration, then does what could freeze it (pause it, point it elsewhere,
 * delete it with Retain or skip-cleanup, remove its finalizer by hand); the platform narrows the
 * store's rule or unlabels the namespace. What is asserted is what the saved keys can still read,
 * within {@link #WITHIN} (a few sweep periods, well inside one verification interval).
 */
class RevocationIT {
  static final Duration WITHIN = Duration.ofSeconds(30);

  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;
  static MinioAdminClient rootAdmin;

  String ns;
  String store;
  String keep;
  String drop;
  String user;
  Keys saved;

  record Keys(String id, String secret) {}

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

  /** A labelled namespace, a ClusterS3Store allowing it two buckets, a Ready integration. */
  @BeforeEach
  void readyIntegration() throws Exception {
    String suffix = MinioServer.randomSuffix();
    ns = KubeApiServer.shared().createNamespace("revoke");
    label(ns, true);
    store = "revoke-" + suffix;
    keep = "rv-keep-" + suffix;
    drop = "rv-drop-" + suffix;
    object(minio.rootS3(), keep, "a.txt", "kept");
    object(minio.rootS3(), drop, "a.txt", "dropped");
    Fixtures.createClusterStore(
        client,
        Fixtures.OPERATOR_NAMESPACE,
        store,
        minio,
        allow(Map.of("revoke", ns), keep, drop),
        s -> {});
    client.resource(policy(ns, "keep", keep)).create();
    client.resource(policy(ns, "drop", drop)).create();
    client
        .resource(managed(ns, "viz", new StoreRef(StoreKind.ClusterS3Store, store), "keep", "drop"))
        .create();
    op.awaitReady(ns, "viz", "True", "Ready");
    user = ns + ".viz";
    Secret s = op.secret(ns, "viz-s3");
    saved =
        new Keys(
            ResolvedConfigSecret.value(s, ResolvedConfigSecret.ACCESS_KEY_ID).orElseThrow(),
            ResolvedConfigSecret.value(s, ResolvedConfigSecret.SECRET_ACCESS_KEY).orElseThrow());
    assertThat(read(saved, keep)).isEqualTo("kept");
    assertThat(read(saved, drop)).isEqualTo("dropped");
  }

  private void label(String namespace, boolean on) {
    client
        .namespaces()
        .withName(namespace)
        .edit(
            n -> {
              Map<String, String> l = new HashMap<>(n.getMetadata().getLabels());
              if (on) {
                l.put("revoke", namespace);
              } else {
                l.remove("revoke");
              }
              n.getMetadata().setLabels(l);
              return n;
            });
  }

  private String read(Keys k, String bucket) {
    try (InputStream in =
        minio
            .s3(k.id(), k.secret())
            .getObject(GetObjectArgs.builder().bucket(bucket).object("a.txt").build())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (Exception e) {
      return "refused";
    }
  }

  private void editViz(UnaryOperator<S3Integration> change) {
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

  private void annotate(String key) {
    editViz(
        i -> {
          Map<String, String> a =
              i.getMetadata().getAnnotations() == null
                  ? new HashMap<>()
                  : new HashMap<>(i.getMetadata().getAnnotations());
          a.put(key, "true");
          i.getMetadata().setAnnotations(a);
          return i;
        });
  }

  private void pause() {
    annotate(ApiGroup.PAUSED_ANNOTATION);
    await()
        .atMost(WITHIN)
        .until(
            () -> op.condition(ns, "viz", "Ready").map(c -> c.getReason()).orElse(""),
            r -> r.equals("Paused"));
  }

  /** The platform takes the drop bucket out of the store's rule. */
  private void narrowStore() {
    client
        .resources(ClusterS3Store.class)
        .withName(store)
        .edit(
            s -> {
              s.getSpec().getAllow().get(0).setBuckets(List.of(keep));
              return s;
            });
  }

  private void awaitReads(String keepResult, String dropResult) {
    long t0 = System.nanoTime();
    await()
        .atMost(WITHIN)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              assertThat(read(saved, keep)).as("the saved keys on " + keep).isEqualTo(keepResult);
              assertThat(read(saved, drop)).as("the saved keys on " + drop).isEqualTo(dropResult);
            });
    System.out.printf(
        "%s: the saved keys read %s/%s after %d ms%n",
        ns, keepResult, dropResult, (System.nanoTime() - t0) / 1_000_000);
  }

  private boolean userExists() {
    try {
      rootAdmin.getUserInfo(user);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private boolean recordExists() {
    return client
            .secrets()
            .inNamespace(Fixtures.OPERATOR_NAMESPACE)
            .withName(OwnershipRecordSecret.name("ClusterS3Store/" + store, user))
            .get()
        != null;
  }

  private void awaitGone() {
    await()
        .atMost(WITHIN)
        .until(
            () ->
                client.resources(S3Integration.class).inNamespace(ns).withName("viz").get()
                    == null);
  }

  @Test
  void aPausedIntegrationStillLosesWhatTheStoreTakesAway() {
    pause();
    narrowStore();
    awaitReads("kept", "refused");
    assertThat(op.condition(ns, "viz", "Ready"))
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("Paused"));
  }

  @Test
  void aPausedIntegrationInANamespaceTheRuleNoLongerSelectsReadsNothing() {
    pause();
    label(ns, false);
    awaitReads("refused", "refused");
  }

  @Test
  void pointingTheIntegrationAtAStoreThatFailsDetachesTheOldUserAtOnce() {
    editViz(
        i -> {
          i.getSpec().setStoreRef(new StoreRef(StoreKind.ClusterS3Store, "missing-" + store));
          return i;
        });
    awaitReads("refused", "refused");
    assertThat(userExists()).as("kept until a new identity works").isTrue();

    // pointed back: the same user gets its grants again
    editViz(
        i -> {
          i.getSpec().setStoreRef(new StoreRef(StoreKind.ClusterS3Store, store));
          return i;
        });
    awaitReads("kept", "dropped");
  }

  @Test
  void retainKeepsTheUserButItsKeysReadNothing() {
    editViz(
        i -> {
          i.getSpec().setDeletionPolicy(DeletionPolicy.Retain);
          return i;
        });
    client.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
    awaitGone();
    awaitReads("refused", "refused");
    assertThat(userExists()).as("Retain keeps the user").isTrue();
  }

  @Test
  void skipCleanupReleasesTheDeletionAndTheUserIsStillRemoved() {
    annotate(ApiGroup.SKIP_CLEANUP_ANNOTATION);
    client.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
    awaitGone();
    awaitReads("refused", "refused");
    await().atMost(WITHIN).until(() -> !userExists() && !recordExists());
  }

  @Test
  void aFinalizerRemovedByHandLeavesAnOrphanThatIsRetired() {
    pause(); // a paused deletion waits...
    client.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
    await()
        .atMost(WITHIN)
        .until(() -> op.integration(ns, "viz").getMetadata().getDeletionTimestamp() != null);
    editViz( // ...so the tenant removes the finalizer
        i -> {
          i.getMetadata().setFinalizers(List.of());
          return i;
        });
    awaitGone();
    awaitReads("refused", "refused");
    await().atMost(WITHIN).until(() -> !userExists() && !recordExists());
  }
}
