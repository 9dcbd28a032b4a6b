package dev.integrations.s3.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Kubernetes API server (kube-apiserver + etcd, started with fabric8 kube-api-test) and four
 * controllers of kube-controller-manager (namespace, garbage collector, cluster-role aggregation,
 * ValidatingAdmissionPolicy status) for end-to-end tests; no scheduler, no kubelet.
 *
 * <p>The pinned binaries are built from their Go modules by {@code scripts/install-kube} (cached,
 * so only the first run builds; progress in {@code target/install-kube.log}). kube-api-test runs in
 * offline mode on a private directory under {@code target/kube-api-test} whose {@code k8s} entry
 * links to the cache, so its generated certificates never collide with another checkout's. The API
 * server runs with RBAC and the client authenticates with a {@code system:masters} certificate.
 * Every CRD in {@code crds/} is applied and awaited until Established. Stopped when the JVM exits.
 *
 * <p>With {@link KubeControllerManager} beside it, deleting a namespace deletes its content
 * (waiting for finalizers, as in a cluster), owner references are acted on, and aggregated roles
 * reach edit and view. Tests use fresh random namespaces.
 *
 * <p>When the server cannot be installed or started, {@link #shared()} throws with the reason: the
 * tests that need it fail, they are never skipped.
 */
public final class KubeApiServer {
  private static KubeApiServer shared;
  private static RuntimeException sharedFailure;

  private final KubeAPIServer server;
  private final KubeControllerManager controllers;
  private final String kubeConfigYaml;
  private final Path kubeConfigFile;
  private final KubernetesClient client;
  private final Duration startup;
  private final Path kubectl;
  private final List<KubernetesClient> extraClients = new ArrayList<>();

  private KubeApiServer(
      KubeAPIServer server,
      KubeControllerManager controllers,
      String kubeConfigYaml,
      Path kubeConfigFile,
      KubernetesClient client,
      Duration startup,
      Path kubectl) {
    this.server = server;
    this.controllers = controllers;
    this.kubeConfigYaml = kubeConfigYaml;
    this.kubeConfigFile = kubeConfigFile;
    this.client = client;
    this.startup = startup;
    this.kubectl = kubectl;
  }

  /** The server shared by all tests of this JVM, started (and CRDs applied) on first use. */
  public static synchronized KubeApiServer shared() {
    if (shared != null) {
      return shared;
    }
    if (sharedFailure != null) {
      throw sharedFailure;
    }
    try {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "kube-apiserver-stop"));
      return shared;
    } catch (RuntimeException e) {
      sharedFailure = e;
      throw e;
    }
  }

  private static KubeApiServer start() {
    long t0 = System.nanoTime();
    Path base = Path.of(System.getProperty("project.basedir", ".")).toAbsolutePath();
    Path binaries = installBinaries(base);
    String version = kubeVersion(base);
    Path testDir = base.resolve("target").resolve("kube-api-test");
    try {
      Files.createDirectories(testDir);
      Path link = testDir.resolve("k8s");
      if (!Files.exists(link)) {
        Files.deleteIfExists(link); // a dangling link
        Files.createSymbolicLink(link, binaries.resolve("k8s"));
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not prepare " + testDir + ": " + e, e);
    }
    // Every setting is given explicitly: kube-api-test 7.5.2 reads unset boolean/integer settings
    // from environment variables and fails with a ClassCastException when they are set.
    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(testDir.toString())
                .withApiServerVersion(version)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withWaitForEtcdHealthCheckOnStartup(true)
                .withStartupTimeout(120_000)
                .build());
    try {
      server.start();
    } catch (RuntimeException e) {
      try {
        server.stop();
      } catch (RuntimeException ignored) {
        // best effort: a half-started server
      }
      throw new IllegalStateException(
          "kube-apiserver "
              + version
              + " from "
              + binaries
              + " did not start, so the end-to-end tests cannot run: "
              + e,
          e);
    }
    long serverReady = System.nanoTime();
    String yaml = server.getKubeConfigYaml();
    Path kubeConfigFile = testDir.resolve("kubeconfig.yaml");
    KubernetesClient client;
    KubeControllerManager controllers;
    try {
      Files.writeString(kubeConfigFile, yaml, StandardCharsets.UTF_8);
      client = newClient(yaml);
      applyCrds(client, base.resolve("crds"));
      controllers =
          KubeControllerManager.start(
              binaries
                  .resolve("k8s")
                  .resolve(version + "-linux-amd64")
                  .resolve("kube-controller-manager"),
              kubeConfigFile,
              testDir.resolve("kube-controller-manager.log"));
    } catch (IOException | RuntimeException e) {
      server.stop();
      throw new IllegalStateException("kube-apiserver started, but setting it up failed: " + e, e);
    }
    long done = System.nanoTime();
    Duration startup = Duration.ofNanos(done - t0);
    System.err.printf(
        "kube-apiserver %s ready in %.1fs (server %.1fs, CRDs %.1fs); kubeconfig: %s%n",
        version,
        startup.toMillis() / 1000.0,
        (serverReady - t0) / 1e9,
        (done - serverReady) / 1e9,
        kubeConfigFile);
    Path kubectl = binaries.resolve("k8s").resolve(version + "-linux-amd64").resolve("kubectl");
    return new KubeApiServer(server, controllers, yaml, kubeConfigFile, client, startup, kubectl);
  }

  private static KubernetesClient newClient(String yaml) {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(yaml)).build();
  }

  private static void applyCrds(KubernetesClient client, Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no CRDs in " + dir);
    }
    List<String> names = new ArrayList<>();
    for (Path f : files) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(f.toFile()).item();
      client.resource(crd).forceConflicts().serverSideApply();
      names.add(crd.getMetadata().getName());
    }
    for (String name : names) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(name)
          .waitUntilCondition(
              c ->
                  c != null
                      && c.getStatus() != null
                      && c.getStatus().getConditions() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              x ->
                                  "Established".equals(x.getType())
                                      && "True".equals(x.getStatus())),
              60,
              TimeUnit.SECONDS);
    }
  }

  private static String kubeVersion(Path base) {
    Path versions = base.resolve("scripts").resolve("versions.env");
    try {
      for (String line : Files.readAllLines(versions, StandardCharsets.UTF_8)) {
        if (line.startsWith("KUBE_VERSION=")) {
          String v = line.substring("KUBE_VERSION=".length()).trim();
          return v.startsWith("v") ? v.substring(1) : v;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not read " + versions + ": " + e, e);
    }
    throw new IllegalStateException("no KUBE_VERSION in " + versions);
  }

  private static Path installBinaries(Path base) {
    Path dir =
        InstallScript.run(
            "install-kube",
            Duration.ofMinutes(40),
            "the end-to-end tests",
            "\nBuild the binaries with `bash scripts/install-kube` (needs Go; the first build of"
                + " kube-apiserver, kubectl and etcd takes about 5 minutes on 2 cores, plus the"
                + " module downloads) and run the tests again. Its log: target/install-kube.log");
    if (!Files.isDirectory(dir.resolve("k8s"))) {
      throw new IllegalStateException(
          "scripts/install-kube printed " + dir + ", which has no k8s/ directory");
    }
    return dir;
  }

  /** Stops the API server and etcd (etcd's data is a temporary directory, removed). */
  public synchronized void stop() {
    controllers.stop();
    extraClients.forEach(KubernetesClient::close);
    client.close();
    server.stop();
  }

  /** The client of the {@code system:masters} test user; do not close it. */
  public KubernetesClient client() {
    return client;
  }

  /** A new, separate client for the same server (closed with the server; may be closed early). */
  public synchronized KubernetesClient newClient() {
    KubernetesClient c = newClient(kubeConfigYaml);
    extraClients.add(c);
    return c;
  }

  public String kubeConfigYaml() {
    return kubeConfigYaml;
  }

  /** The kubeconfig written under target/kube-api-test, e.g. for kubectl while debugging. */
  public Path kubeConfigFile() {
    return kubeConfigFile;
  }

  /** How long the first {@link #shared()} took: install check, start, CRDs Established. */
  /** The kubectl built beside kube-apiserver (same version) by {@code scripts/install-kube}. */
  public Path kubectl() {
    if (!Files.isExecutable(kubectl)) {
      throw new IllegalStateException(
          kubectl + " is missing: scripts/install-kube builds it with kube-apiserver");
    }
    return kubectl;
  }

  public Duration startup() {
    return startup;
  }

  /** Creates a namespace named {@code prefix-<random>} and returns its name. */
  public String createNamespace(String prefix) {
    String name = prefix + "-" + MinioServer.randomSuffix();
    createNamespaceNamed(name);
    return name;
  }

  /** Creates this namespace unless it exists. */
  public void createNamespaceNamed(String name) {
    if (client.namespaces().withName(name).get() == null) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
  }
}
