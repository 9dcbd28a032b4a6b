package dev.integrations.s3.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.KeyPairSecretRef;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreSpec;
import dev.integrations.s3.api.v1alpha1.TlsSpec;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.testing.ArgoCdHealth;
import dev.integrations.s3.testing.Examples;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import dev.integrations.s3.testing.TestCa;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.minio.admin.MinioAdminClient;
import io.minio.admin.UserInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario of examples/ is a unit that can be synced on its own (one Argo CD Application per
 * directory): applied alone, in namespaces and with cluster-scoped names of its own, with a fresh
 * operator, each of its S3Integrations reaches Ready=True on the real kube-apiserver and MinIO, and
 * the Argo CD health check of argocd/ calls each of its resources Healthy. The only changes made to
 * the files are the ones a user makes (endpoint, region, admin keys, CA, the tenant's own keys,
 * pointed at the test's MinIO) and a suffix on the names that would meet other tests' objects in
 * the shared API server. A scenario that needs another one's objects fails here.
 */
class ExamplesIT {
  /** The operator's namespace the examples keep admin keys in. */
  private static final String OPERATOR_NS = "s3-operator";

  private static final Duration READY_WITHIN = Duration.ofSeconds(120);

  static KubernetesClient client;
  static MinioServer minio;
  static TestCa ca;
  static MinioServer tlsMinio;

  @BeforeAll
  static void start() throws Exception {
    client = KubeApiServer.shared().client();
    minio = MinioServer.shared();
    ca = TestCa.create("examples-it");
    tlsMinio = MinioServer.startTls(ca);
    for (MinioServer m : List.of(minio, tlsMinio)) {
      // the buckets the examples read, with something in them
      Fixtures.object(m.rootS3(), "share-with-kolena", "cats/001.png", "png");
      Fixtures.object(m.rootS3(), "medical-images", "studies/001.png", "png");
    }
  }

  @AfterAll
  static void stop() {
    if (tlsMinio != null) {
      tlsMinio.stop();
    }
  }

  static Stream<String> scenarios() throws Exception {
    return Examples.scenarios(examples()).stream().map(p -> p.getFileName().toString());
  }

  private static Path examples() {
    return Path.of(System.getProperty("project.basedir", "."), "examples");
  }

  @ParameterizedTest(name = "examples/{0}")
  @MethodSource("scenarios")
  void eachScenarioReachesReadyOnItsOwnAndArgoCdCallsItHealthy(String scenario) throws Exception {
    String suffix = MinioServer.randomSuffix();
    Scenario s = new Scenario(Examples.load(examples().resolve(scenario)), suffix);
    List<S3Integration> integrations = s.of(S3Integration.class);
    assertThat(integrations).as("examples/%s has an S3Integration to show", scenario).isNotEmpty();

    OperatorConfig config =
        OperatorConfig.fromEnv(
            Map.of(
                OperatorConfig.WATCH_NAMESPACES,
                String.join(",", s.namespaces.values()),
                OperatorConfig.OPERATOR_NAMESPACE,
                s.namespaces.get(OPERATOR_NS),
                OperatorConfig.HTTP_PORT,
                "0"));
    // the operator's install creates its namespace; the examples keep their admin keys there
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(s.namespaces.get(OPERATOR_NS))
                .endMetadata()
                .build())
        .serverSideApply();
    Instant t0 = Instant.now();
    try (OperatorHarness op = new OperatorHarness(client, true, config)) {
      try {
        for (HasMetadata r : s.objects) {
          client.resource(r).forceConflicts().serverSideApply();
        }
        try {
          await()
              .atMost(READY_WITHIN)
              .pollInterval(Duration.ofMillis(500))
              .untilAsserted(
                  () -> {
                    Map<String, String> health = new LinkedHashMap<>();
                    for (HasMetadata r : s.ours()) {
                      HasMetadata live = client.resource(r).get();
                      health.put(
                          r.getKind() + " " + name(r),
                          live == null ? "gone" : ArgoCdHealth.of(live).toString());
                    }
                    assertThat(health)
                        .as("Argo CD health of examples/%s", scenario)
                        .allSatisfy((k, v) -> assertThat(v).startsWith("Healthy: "));
                  });
        } finally {
          System.err.printf(
              "examples/%s: %d objects applied; waited %d ms for Healthy%n",
              scenario, s.objects.size(), Duration.between(t0, Instant.now()).toMillis());
        }
        // A sync of the same files again (Argo CD's self-heal) changes no spec: the operator writes
        // only status and its finalizer, so the Application stays Synced.
        for (HasMetadata r : s.ours()) {
          Long before = client.resource(r).get().getMetadata().getGeneration();
          HasMetadata again = client.resource(r).forceConflicts().serverSideApply();
          assertThat(again.getMetadata().getGeneration())
              .as("%s %s applied again", r.getKind(), name(r))
              .isEqualTo(before);
          assertThat(ArgoCdHealth.of(again).status()).isEqualTo("Healthy");
        }
        for (S3Integration i : integrations) {
          S3Integration live = client.resource(i).get();
          Condition ready =
              live.getStatus().getConditions().stream()
                  .filter(c -> "Ready".equals(c.getType()))
                  .findFirst()
                  .orElseThrow();
          assertThat(ready.getStatus()).as("%s Ready", name(i)).isEqualTo("True");
          assertThat(live.getStatus().getObservedGeneration())
              .isEqualTo(live.getMetadata().getGeneration());
          assertThat(
                  client
                      .secrets()
                      .inNamespace(namespace(i))
                      .withName(live.getStatus().getSecretName())
                      .get())
              .as("%s: its Secret", name(i))
              .isNotNull();
        }
      } catch (Throwable t) {
        try {
          s.delete(); // with the operator still running, so that finalizers are released
        } catch (Throwable d) {
          t.addSuppressed(d);
        }
        throw t;
      }
      s.delete();
    } finally {
      s.forgetHandMadeUsers();
      for (String ns : s.namespaces.values()) {
        client.namespaces().withName(ns).delete();
      }
    }
  }

  /**
   * The README's command registers the four health checks in an argocd-cm that already holds other
   * settings, and leaves those alone.
   */
  @Test
  void theReadmeCommandRegistersTheHealthChecksInArgocdCm() throws Exception {
    String ns = "argocd-" + MinioServer.randomSuffix();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    try {
      client
          .configMaps()
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("argocd-cm")
                  .withNamespace(ns)
                  .endMetadata()
                  .addToData("url", "https://argocd.example.com")
                  .build())
          .create();
      Path root = Path.of(System.getProperty("project.basedir", "."));
      KubeApiServer kube = KubeApiServer.shared();
      Path kubectl;
      try (Stream<Path> dirs = Files.list(kube.kubeConfigFile().getParent().resolve("k8s"))) {
        kubectl =
            dirs.map(d -> d.resolve("kubectl"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow();
      }
      // as in the README: kubectl -n argocd patch configmap argocd-cm --type merge --patch-file ...
      Process p =
          new ProcessBuilder(
                  kubectl.toString(),
                  "--kubeconfig",
                  kube.kubeConfigFile().toString(),
                  "-n",
                  ns,
                  "patch",
                  "configmap",
                  "argocd-cm",
                  "--type",
                  "merge",
                  "--patch-file",
                  root.resolve("docs/argocd/argocd-cm.yaml").toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("kubectl patch: %s", out).isZero();
      Map<String, String> data =
          client.configMaps().inNamespace(ns).withName("argocd-cm").get().getData();
      assertThat(data).containsEntry("url", "https://argocd.example.com");
      for (String kind : List.of("S3Integration", "S3AccessPolicy", "S3Store", "ClusterS3Store")) {
        assertThat(data)
            .containsEntry(
                "resource.customizations.health.s3.integrations.dev_" + kind,
                ArgoCdHealth.script(kind));
      }
    } finally {
      client.namespaces().withName(ns).delete();
    }
  }

  private static String namespace(HasMetadata r) {
    return r.getMetadata().getNamespace();
  }

  private static String name(HasMetadata r) {
    return namespace(r) == null
        ? r.getMetadata().getName()
        : namespace(r) + "/" + r.getMetadata().getName();
  }

  /** One scenario's objects, renamed apart and pointed at the test's MinIO. */
  private static final class Scenario {
    final List<HasMetadata> objects;
    final Map<String, String> namespaces = new LinkedHashMap<>();
    final Map<String, String> clusterStores = new HashMap<>();
    final Map<MinioServer, List<String>> handMadeUsers = new HashMap<>();

    /** Stores without admin keys, and the MinIO each was pointed at. */
    final Map<StoreSpec, MinioServer> validateOnlyStores = new java.util.IdentityHashMap<>();

    Scenario(List<HasMetadata> loaded, String suffix) throws Exception {
      objects = loaded;
      namespaces.put(OPERATOR_NS, OPERATOR_NS + "-" + suffix);
      for (HasMetadata r : objects) {
        if (r instanceof Namespace) {
          namespaces.put(r.getMetadata().getName(), r.getMetadata().getName() + "-" + suffix);
        } else if (namespace(r) != null) {
          namespaces.putIfAbsent(namespace(r), namespace(r) + "-" + suffix);
        } else if (r instanceof ClusterS3Store) {
          clusterStores.put(r.getMetadata().getName(), r.getMetadata().getName() + "-" + suffix);
        }
      }
      for (HasMetadata r : objects) {
        if (r instanceof Namespace) {
          r.getMetadata().setName(namespaces.get(r.getMetadata().getName()));
        } else if (namespace(r) != null) {
          r.getMetadata().setNamespace(namespaces.get(namespace(r)));
        } else if (r instanceof ClusterS3Store) {
          r.getMetadata().setName(clusterStores.get(r.getMetadata().getName()));
        }
        if (r instanceof S3Integration i
            && i.getSpec().getStoreRef().getKind() != StoreKind.S3Store) {
          String store = clusterStores.get(i.getSpec().getStoreRef().getName());
          if (store == null) {
            fail(
                "%s uses ClusterS3Store %s, which its scenario does not hold",
                name(i), i.getSpec().getStoreRef().getName());
          }
          i.getSpec().getStoreRef().setName(store);
        }
      }
      for (HasMetadata r : objects) {
        if (r instanceof ClusterS3Store c) {
          pointAt(c.getSpec(), namespaces.get(OPERATOR_NS));
        } else if (r instanceof S3Store st) {
          pointAt(st.getSpec(), namespace(st));
        }
      }
      for (S3Integration i : of(S3Integration.class)) {
        KeyPairSecretRef own = i.getSpec().getCredentials().getSecretRef();
        if (own != null) {
          ownKeys(i, own);
        }
      }
    }

    /** The store's endpoint, region, admin keys and CA, as a user fills them in. */
    private void pointAt(StoreSpec spec, String secretsNamespace) throws Exception {
      boolean privateCa = spec.getTls() != null && spec.getTls().getCaSecretRef() != null;
      MinioServer m = privateCa ? tlsMinio : minio;
      spec.setEndpoint(m.host());
      spec.setPort(m.port());
      spec.setRegion(m.region());
      if (privateCa) {
        String key = spec.getTls().getCaSecretRef().getKey();
        secret(secretsNamespace, spec.getTls().getCaSecretRef().getName())
            .setStringData(Map.of(key == null ? "ca.crt" : key, ca.caPem));
      } else {
        TlsSpec plain = new TlsSpec();
        plain.setEnabled(false);
        spec.setTls(plain);
      }
      if (spec.getAdmin() != null) {
        keys(
            secret(secretsNamespace, spec.getAdmin().getSecretRef().getName()),
            spec.getAdmin().getSecretRef(),
            m.accessKey(),
            m.secretKey());
      } else {
        validateOnlyStores.put(spec, m);
      }
    }

    /**
     * A validate-only integration's own keys: the tenant's storage admin makes a user with a read
     * policy by hand, as the example says.
     */
    private void ownKeys(S3Integration i, KeyPairSecretRef ref) throws Exception {
      StoreSpec store =
          objects.stream()
              .filter(
                  r ->
                      r instanceof ClusterS3Store c
                              && c.getMetadata()
                                  .getName()
                                  .equals(i.getSpec().getStoreRef().getName())
                          || r instanceof S3Store st
                              && st.getMetadata()
                                  .getName()
                                  .equals(i.getSpec().getStoreRef().getName())
                              && namespace(st).equals(namespace(i)))
              .map(r -> r instanceof ClusterS3Store c ? c.getSpec() : ((S3Store) r).getSpec())
              .findFirst()
              .orElseThrow();
      MinioServer m = validateOnlyStores.getOrDefault(store, minio);
      String bucket =
          i.getSpec().getBucket() == null ? "share-with-kolena" : i.getSpec().getBucket();
      String user = "hand-" + MinioServer.randomSuffix();
      MinioAdminClient admin = m.rootAdmin();
      admin.addCannedPolicy(
          user, PolicyDocument.render(new ReadGrant(List.of(new BucketGrant(bucket, null)), null)));
      String secret = "Hand" + MinioServer.randomAlnum(30);
      admin.addUser(user, UserInfo.Status.ENABLED, secret, null, null);
      admin.setPolicy(user, false, user);
      handMadeUsers.computeIfAbsent(m, k -> new ArrayList<>()).add(user);
      keys(secret(namespace(i), ref.getName()), ref, user, secret);
    }

    private static void keys(Secret s, KeyPairSecretRef ref, String accessKey, String secretKey) {
      String ak = ref.getAccessKeyKey() == null ? "accessKey" : ref.getAccessKeyKey();
      String sk = ref.getSecretKeyKey() == null ? "secretKey" : ref.getSecretKeyKey();
      s.setData(null);
      s.setStringData(Map.of(ak, accessKey, sk, secretKey));
    }

    /** A Secret of the scenario: it must hold every Secret its resources name. */
    private Secret secret(String ns, String name) {
      return objects.stream()
          .filter(
              r ->
                  r instanceof Secret
                      && name.equals(r.getMetadata().getName())
                      && ns.equals(namespace(r)))
          .map(Secret.class::cast)
          .findFirst()
          .orElseThrow(
              () ->
                  new AssertionError(
                      "the scenario names Secret "
                          + name
                          + " but does not hold it: not self-contained"));
    }

    <T extends HasMetadata> List<T> of(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The scenario's resources of the operator's kinds. */
    List<HasMetadata> ours() {
      return objects.stream()
          .filter(
              r ->
                  r instanceof S3Integration
                      || r instanceof S3AccessPolicy
                      || r instanceof S3Store
                      || r instanceof ClusterS3Store)
          .toList();
    }

    /**
     * Deletes the scenario as pruning its Application would, integrations first; the operator
     * releases them (removing their MinIO users) and then the stores.
     */
    void delete() {
      List<HasMetadata> reverse = new ArrayList<>(objects);
      java.util.Collections.reverse(reverse);
      for (HasMetadata r : reverse) {
        if (!(r instanceof Namespace)) {
          client.resource(r).delete();
        }
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          ours().stream()
                              .filter(r -> client.resource(r).get() != null)
                              .map(ExamplesIT::name))
                      .as("left after deletion")
                      .isEmpty());
    }

    void forgetHandMadeUsers() {
      handMadeUsers.forEach(
          (m, users) -> {
            for (String u : users) {
              try {
                m.rootAdmin().deleteUser(u);
                m.rootAdmin().removeCannedPolicy(u);
              } catch (Exception e) {
                System.err.println("could not remove hand-made user " + u + ": " + e);
              }
            }
          });
    }
  }
}
