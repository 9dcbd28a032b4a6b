package dev.integrations.s3.bench;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.allow;
import static dev.integrations.s3.testing.Fixtures.clusterStore;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static dev.integrations.s3.testing.Fixtures.validateOnly;
import static dev.integrations.s3.testing.Fixtures.validateOnlyStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.integrations.s3.api.v1alpha1.BucketAccess;
import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import dev.integrations.s3.storage.minio.MeteredMinioAdmin;
import dev.integrations.s3.testing.InstallScript;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorProcess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark platform teams need before running one operator for thousands of integrations
 * ({@code scripts/bench}, {@code scripts/bench --quick}). In one run, on one MinIO and one
 * kube-apiserver, with the operator in its own JVM with the chart's heap:
 *
 * <ol>
 *   <li>time to Ready for N managed integrations (each with its own S3AccessPolicy on a bucket
 *       holding objects), against the floor (the same storage calls from a plain Java loop, same
 *       heap, same threads) and the storage docs' manual flow scripted with {@code mc};
 *   <li>steady state over several verification intervals: writes to MinIO and to Kubernetes, and
 *       storage reads per integration per interval;
 *   <li>fan-out: one S3AccessPolicy shared by F integrations changes; seconds until every MinIO
 *       policy carries it;
 *   <li>RSS and live heap after Ready with N managed, and with V validate-only integrations more;
 *       start-up to the first reconcile with all of them in the cluster.
 * </ol>
 *
 * Every figure is a count or a ratio measured in the same run. Prints a table, then the line {@code
 * bench: n=... ratio_to_floor=... ...}, and writes the same figures to {@code
 * target/bench/bench.json}.
 */
public final class Benchmark {
  /** What one run measures, and how big. */
  record Size(int n, int fanout, int validateOnly, Duration interval, int intervals, int threads) {
    static Size full() {
      return new Size(1000, 100, 10_000, Duration.ofMinutes(1), 3, 10);
    }

    static Size quick() {
      return new Size(20, 10, 200, Duration.ofSeconds(10), 2, 10);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String KEY = "cats/001.png";

  private final Size size;
  private final MinioServer minio;
  private final KubeApiServer kube;
  private final KubernetesClient client;
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final List<String[]> table = new ArrayList<>();

  private Benchmark(Size size, MinioServer minio, KubeApiServer kube) {
    this.size = size;
    this.minio = minio;
    this.kube = kube;
    this.client = kube.client();
  }

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    Size size = quick ? Size.quick() : Size.full();
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--validate-only")) {
        size =
            new Size(
                size.n(),
                size.fanout(),
                Integer.parseInt(args[i + 1]),
                size.interval(),
                size.intervals(),
                size.threads());
      }
      if (args[i].equals("--n")) {
        size =
            new Size(
                Integer.parseInt(args[i + 1]),
                size.fanout(),
                size.validateOnly(),
                size.interval(),
                size.intervals(),
                size.threads());
      }
    }
    try {
      System.out.println(run(size));
      System.exit(0);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1); // threads of the clients must not keep a failed run alive
    }
  }

  /** Runs everything on a fresh MinIO and the shared kube-apiserver; returns the final line. */
  public static String run(Size size) throws Exception {
    MinioServer minio = MinioServer.startLocal();
    try {
      return new Benchmark(size, minio, KubeApiServer.shared()).measure();
    } finally {
      minio.stop();
    }
  }

  private String measure() throws Exception {
    long runStart = System.nanoTime();
    results.put("date", LocalDate.now().toString());
    results.put(
        "machine",
        Runtime.getRuntime().availableProcessors()
            + " cores, Java "
            + System.getProperty("java.version"));
    results.put("n", size.n());
    String bucket = "bench-data";
    object(minio.rootS3(), bucket, KEY, "x".repeat(450));

    // (a) the floor and (b) the manual flow, on the same MinIO, before the operator's users exist
    long floorMs = floor(bucket);
    results.put("floor_s", floorMs / 1000.0);
    save();
    long mcMs = mcFlow(bucket);
    results.put("mc_s", mcMs / 1000.0);
    save();

    // (c) the operator
    Path kubeconfig = kube.kubeConfigFile();
    Map<String, String> env =
        Map.of(
            "OPERATOR_NAMESPACE",
            "s3-operator",
            "VERIFICATION_INTERVAL",
            seconds(size.interval()),
            "RECONCILE_THREADS",
            String.valueOf(size.threads()),
            "LOG_FORMAT",
            "json");
    kube.createNamespaceNamed("s3-operator");
    String platformStore = "bench-" + MinioServer.randomSuffix();
    List<String> namespaces = prepareManaged(bucket, platformStore);
    try (Counting writes = new Counting(client);
        OperatorProcess op =
            new OperatorProcess(kubeconfig, env, OperatorProcess.CHART_HEAP, "bench")) {
      op.start();
      long t0 = System.nanoTime();
      parallel(
          size.n(),
          i ->
              client
                  .resource(
                      labelled(
                          managed(
                              namespaces.get(i),
                              "viz",
                              new StoreRef(StoreKind.ClusterS3Store, platformStore),
                              "read"),
                          "managed"))
                  .create());
      awaitReady("managed", size.n(), Duration.ofMinutes(60));
      long operatorMs = millis(t0);
      long apiWritesToReady = writes.total();
      Map<String, Double> adminToReady = adminCalls(op);
      memory(op, "after_ready_n");
      save();

      results.put("floor_s", floorMs / 1000.0);
      results.put("mc_s", mcMs / 1000.0);
      results.put("operator_s", operatorMs / 1000.0);
      results.put("ratio_to_floor", round2((double) operatorMs / floorMs));
      results.put("ratio_to_mc", round2((double) operatorMs / mcMs));
      results.put(
          "api_writes_per_integration_to_ready", round2((double) apiWritesToReady / size.n()));
      results.put("admin_calls_to_ready", adminToReady);

      // steady state
      steady(op, writes);
      save();

      // fan-out
      fanout(bucket);
      errors(op);
      save();
    }

    // (d) memory with many validate-only integrations, and start-up with everything present
    try {
      validateOnlyAndStartup(kubeconfig, env);
    } catch (Exception e) {
      results.put("validate_only_failed", String.valueOf(e.getMessage()));
      save();
      throw e;
    }

    results.put("bench_s", millis(runStart) / 1000);
    return report();
  }

  // ------------------------------------------------------------------ floor and mc

  private long floor(String bucket) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx" + OperatorProcess.CHART_HEAP,
            "-Dlogback.configurationFile=logback-bench.xml",
            "-cp",
            System.getProperty("java.class.path"),
            FloorLoop.class.getName(),
            minio.host(),
            String.valueOf(minio.port()),
            String.valueOf(size.n()),
            String.valueOf(size.threads()),
            bucket,
            KEY,
            "floor-");
    pb.environment().put("FLOOR_ACCESS_KEY", minio.accessKey());
    pb.environment().put("FLOOR_SECRET_KEY", minio.secretKey());
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    progress("floor: " + size.n() + " users, policies, attachments, list, ranged get");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("the floor loop failed: " + out);
    }
    String last = out.substring(out.lastIndexOf('\n') + 1);
    JsonNode floor = JSON.readTree(last);
    Map<String, Object> perCall = new LinkedHashMap<>();
    floor
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getKey().endsWith("_mean_ms")) {
                perCall.put(e.getKey(), round2(e.getValue().asDouble()));
              }
            });
    results.put("floor_mean_ms_per_call", perCall);
    return floor.get("total_ms").asLong();
  }

  private long mcFlow(String bucket) throws Exception {
    Path mc =
        InstallScript.run(
            "install-mc", Duration.ofMinutes(30), "the benchmark's mc comparison", "");
    Path config = Files.createTempDirectory("mc-config");
    Path policyFile = config.resolve("read.json");
    Files.writeString(policyFile, FloorLoop.readPolicy(bucket));
    mc(mc, config, "alias", "set", "bench", minio.endpoint(), minio.accessKey(), minio.secretKey());
    progress("mc: " + size.n() + " × (admin user add, admin policy create, admin policy attach)");
    long t0 = System.nanoTime();
    parallel(
        size.n(),
        i -> {
          String user = "mc-" + i;
          mc(mc, config, "admin", "user", "add", "bench", user, "mcSecret" + i + "x".repeat(20));
          mc(mc, config, "admin", "policy", "create", "bench", user, policyFile.toString());
          mc(mc, config, "admin", "policy", "attach", "bench", user, "--user", user);
        });
    return millis(t0);
  }

  private static void mc(Path mc, Path config, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(mc.toString());
    cmd.add("--config-dir");
    cmd.add(config.toString());
    cmd.add("--quiet");
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("mc " + args[0] + " " + args[1] + " failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ the operator

  /**
   * The platform case: one ClusterS3Store (admin keys in the operator's namespace) whose allow rule
   * selects the bench's tenant namespaces by label, and a namespace per integration with its own
   * S3AccessPolicy.
   */
  private List<String> prepareManaged(String bucket, String platformStore) throws Exception {
    progress(
        "preparing "
            + size.n()
            + " tenant namespaces (an S3AccessPolicy each) and the ClusterS3Store "
            + platformStore);
    client
        .resource(
            adminSecret(
                "s3-operator", platformStore + "-admin", minio.accessKey(), minio.secretKey()))
        .create();
    client
        .resource(
            clusterStore(
                platformStore,
                minio.host(),
                minio.port(),
                platformStore + "-admin",
                allow(Map.of("bench-tenant", platformStore), bucket)))
        .create();
    List<String> namespaces = new ArrayList<>();
    for (int i = 0; i < size.n(); i++) {
      namespaces.add("bench-" + i + "-" + MinioServer.randomSuffix());
    }
    parallel(
        size.n(),
        i -> {
          String ns = namespaces.get(i);
          client
              .namespaces()
              .resource(
                  new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                      .withNewMetadata()
                      .withName(ns)
                      .withLabels(Map.of("bench-tenant", platformStore))
                      .endMetadata()
                      .build())
              .create();
          client.resource(policy(ns, "read", bucket)).create();
        });
    return namespaces;
  }

  private void steady(OperatorProcess op, Counting writes) throws Exception {
    Duration settle = size.interval().dividedBy(2);
    progress(
        "steady state: settling "
            + seconds(settle)
            + ", then "
            + size.intervals()
            + " × "
            + seconds(size.interval()));
    Thread.sleep(settle.toMillis());
    long k8sBefore = writes.total();
    Map<String, Long> kindsBefore = writes.snapshot();
    Map<String, Double> adminBefore = adminCalls(op);
    double s3Before = minioS3Requests();
    Thread.sleep(size.interval().multipliedBy(size.intervals()).toMillis());
    long k8s = writes.total() - k8sBefore;
    Map<String, Double> adminAfter = adminCalls(op);
    double s3 = minioS3Requests() - s3Before;
    double adminWrites = 0;
    double adminReads = 0;
    for (Map.Entry<String, Double> e : adminAfter.entrySet()) {
      double delta = e.getValue() - adminBefore.getOrDefault(e.getKey(), 0.0);
      if (e.getKey().equals("user") || e.getKey().equals("policy")) {
        adminReads += delta;
      } else {
        adminWrites += delta;
      }
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("window_s", size.interval().multipliedBy(size.intervals()).toSeconds());
    s.put("kubernetes_writes", k8s);
    s.put("kubernetes_writes_by_kind", writes.since(kindsBefore));
    s.put("minio_admin_writes", (long) adminWrites);
    s.put("minio_admin_reads", (long) adminReads);
    s.put("minio_s3_requests", (long) s3);
    results.put("steady", s);
    results.put("steady_writes", k8s + (long) adminWrites);
    results.put("reads_per_integration", round2((s3 + adminReads) / size.n() / size.intervals()));
  }

  private void fanout(String bucket) throws Exception {
    int f = size.fanout();
    String ns = kube.createNamespace("fanout");
    progress("fan-out: " + f + " integrations sharing one S3AccessPolicy");
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    String shared = "fan-shared";
    object(minio.rootS3(), shared, "v1/a.png", "png");
    object(minio.rootS3(), shared, "v2/a.png", "png");
    client.resource(policy(ns, "shared", shared, "v1/")).create();
    parallel(
        f,
        i -> {
          String b = "fan-" + i;
          try {
            object(minio.rootS3(), b, KEY, "png");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          client.resource(policy(ns, "own-" + i, b)).create();
          S3Integration in =
              labelled(managed(ns, "viz-" + i, "minio", "own-" + i, "shared"), "fanout");
          in.getSpec().setBucket(b);
          client.resource(in).create();
        });
    awaitReady("fanout", f, Duration.ofMinutes(30));
    dev.integrations.s3.storage.minio.MinioAdmin root =
        dev.integrations.s3.storage.minio.MinioAdminClientAdapter.connect(
            minio.storageEndpoint(), minio.accessKey(), minio.secretKey());
    long t0 = System.nanoTime();
    client
        .resources(S3AccessPolicy.class)
        .inNamespace(ns)
        .withName("shared")
        .edit(
            p -> {
              BucketAccess ref = p.getSpec().getBuckets().get(0);
              ref.setPrefixes(List.of("v2/"));
              return p;
            });
    List<String> users = new ArrayList<>();
    for (int i = 0; i < f; i++) {
      users.add(ns + ".viz-" + i);
    }
    while (true) {
      int carrying = 0;
      for (String user : users) {
        String doc =
            root.policy(dev.integrations.s3.storage.minio.MinioNames.policyName(user)).orElse("");
        if (doc.contains("v2/")) {
          carrying++;
        }
      }
      if (carrying == f) {
        break;
      }
      if (Duration.ofNanos(System.nanoTime() - t0).toMinutes() > 10) {
        throw new IllegalStateException(
            "fan-out: only " + carrying + " of " + f + " after 10 minutes");
      }
      Thread.sleep(100);
    }
    results.put("fanout_integrations", f);
    results.put("fanout_s", millis(t0) / 1000.0);
  }

  private void validateOnlyAndStartup(Path kubeconfig, Map<String, String> env) throws Exception {
    int v = size.validateOnly();
    int perNamespace = Math.min(100, v);
    int namespaces = (v + perNamespace - 1) / perNamespace;
    progress("validate-only: " + v + " integrations in " + namespaces + " namespaces");
    dev.integrations.s3.storage.minio.MinioAdmin root =
        dev.integrations.s3.storage.minio.MinioAdminClientAdapter.connect(
            minio.storageEndpoint(), minio.accessKey(), minio.secretKey());
    root.putPolicy("bench-reader", FloorLoop.readPolicy("vo-*"));
    root.createUser("bench-reader", "benchReaderSecret0123456789");
    root.attachPolicy("bench-reader", "bench-reader");
    for (int b = 0; b < perNamespace; b++) {
      object(minio.rootS3(), "vo-" + b, KEY, "png");
    }
    List<String> nss = new ArrayList<>();
    for (int n = 0; n < namespaces; n++) {
      String ns = "vo-" + n + "-" + MinioServer.randomSuffix();
      nss.add(ns);
      kube.createNamespaceNamed(ns);
      client.resource(validateOnlyStore(ns, "minio", minio.host(), minio.port())).create();
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("reader")
                  .withNamespace(ns)
                  .endMetadata()
                  .withStringData(
                      Map.of(
                          "accessKey", "bench-reader", "secretKey", "benchReaderSecret0123456789"))
                  .build())
          .create();
    }
    parallel(
        v,
        i ->
            client
                .resource(
                    labelled(
                        validateOnly(
                            nss.get(i / perNamespace),
                            "vo-" + (i % perNamespace),
                            "minio",
                            "reader",
                            "vo-" + (i % perNamespace)),
                        "validate-only"))
                .create());
    Map<String, String> quiet = new LinkedHashMap<>(env);
    quiet.put("VERIFICATION_INTERVAL", "10m");
    try (OperatorProcess op =
        new OperatorProcess(kubeconfig, quiet, OperatorProcess.CHART_HEAP, "bench-vo")) {
      results.put("start_s", startToFirstReconcile(op));
      long t1 = System.nanoTime();
      awaitReady("validate-only", v, Duration.ofMinutes(60));
      results.put("validate_only", v);
      results.put("validate_only_ready_s", millis(t1) / 1000.0);
      memory(op, "after_ready_validate_only");
      errors(op);
    }
    shards(kubeconfig, quiet, nss);
  }

  /**
   * The same cluster served by two shards, as two Helm releases in one namespace would serve it
   * (README, "Sharding"): each watches half of the validate-only namespaces, and only the first
   * reconciles ClusterS3Stores. Each starts alone, then both run together until their first pass
   * over their integrations is over; then their memory, each as its own pod would see it.
   */
  private void shards(Path kubeconfig, Map<String, String> env, List<String> nss) throws Exception {
    int half = nss.size() / 2;
    progress("two shards: " + half + " and " + (nss.size() - half) + " validate-only namespaces");
    Map<String, String> a = new LinkedHashMap<>(env);
    a.put("WATCH_NAMESPACES", String.join(",", nss.subList(0, half)));
    Map<String, String> b = new LinkedHashMap<>(env);
    b.put("WATCH_NAMESPACES", String.join(",", nss.subList(half, nss.size())));
    b.put("CLUSTER_STORE_CONTROLLER", "false");
    int perNamespace = Math.min(100, size.validateOnly());
    try (OperatorProcess shardA =
            new OperatorProcess(kubeconfig, a, OperatorProcess.CHART_HEAP, "bench-shard-a");
        OperatorProcess shardB =
            new OperatorProcess(kubeconfig, b, OperatorProcess.CHART_HEAP, "bench-shard-b")) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("shard_a_start_s", startToFirstReconcile(shardA));
      out.put("shard_b_start_s", startToFirstReconcile(shardB));
      awaitFirstPass(shardA, half * perNamespace);
      awaitFirstPass(shardB, (nss.size() - half) * perNamespace);
      results.put("shards", out);
      memory(shardA, "shard_a");
      memory(shardB, "shard_b");
      errors(shardA);
      errors(shardB);
    }
  }

  /** Starts the operator; seconds from the process start until its first reconcile started. */
  private static double startToFirstReconcile(OperatorProcess op) throws Exception {
    long t0 = System.nanoTime();
    op.start();
    double started = 0;
    while (started == 0 && millis(t0) < 600_000) {
      started = metric(op.metrics(), "operator_sdk_reconciliations_started_total");
      if (started == 0) {
        Thread.sleep(20);
      }
    }
    return round2(millis(t0) / 1000.0);
  }

  /**
   * Until the operator has reconciled at least {@code integrations} resources and has been idle (no
   * reconcile started) for five seconds: its start-up pass is over.
   */
  private static void awaitFirstPass(OperatorProcess op, int integrations) throws Exception {
    long t0 = System.nanoTime();
    double last = -1;
    long stableSince = System.nanoTime();
    while (millis(t0) < 1_800_000) {
      double started = metric(op.metrics(), "operator_sdk_reconciliations_started_total");
      if (started != last) {
        last = started;
        stableSince = System.nanoTime();
      } else if (started >= integrations && millis(stableSince) >= 5_000) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "a shard did not finish its first pass in 30 minutes: " + last + " reconciles started");
  }

  // ------------------------------------------------------------------ measuring

  private void memory(OperatorProcess op, String key) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    // what a pod's memory limit sees: the RSS as the collector left it, before a forced GC
    long rssBeforeGc = op.rssMib();
    new ProcessBuilder(jcmd, String.valueOf(op.pid()), "GC.run")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor(60, TimeUnit.SECONDS);
    Thread.sleep(500);
    // what the live heap is made of: the evidence behind a memory figure
    Path histogram =
        Path.of(
            System.getProperty("project.basedir", "."),
            "target",
            "bench",
            "histogram-" + key + ".txt");
    Files.createDirectories(histogram.getParent());
    new ProcessBuilder(jcmd, String.valueOf(op.pid()), "GC.class_histogram")
        .redirectErrorStream(true)
        .redirectOutput(histogram.toFile())
        .start()
        .waitFor(120, TimeUnit.SECONDS);
    // where the rest of the RSS goes, when the operator runs with -XX:NativeMemoryTracking=summary
    // (scripts/bench: BENCH_JAVA_OPTS=-Doperator.jvmOptions=-XX:NativeMemoryTracking=summary)
    new ProcessBuilder(jcmd, String.valueOf(op.pid()), "VM.native_memory", "summary")
        .redirectErrorStream(true)
        .redirectOutput(histogram.resolveSibling("nmt-" + key + ".txt").toFile())
        .start()
        .waitFor(60, TimeUnit.SECONDS);
    if (Boolean.getBoolean("bench.heapDump")) { // for a closer look: -Dbench.heapDump=true
      new ProcessBuilder(
              jcmd,
              String.valueOf(op.pid()),
              "GC.heap_dump",
              histogram.resolveSibling("heap-" + key + ".hprof").toAbsolutePath().toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(300, TimeUnit.SECONDS);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rss_mib", op.rssMib());
    m.put("rss_mib_before_gc", rssBeforeGc);
    m.put(
        "heap_used_mib_after_gc",
        Math.round(sumMetric(op.metrics(), "jvm_memory_used_bytes", "area=\"heap\"") / 1048576));
    results.put(key, m);
  }

  /** Counts the operator's ERROR log lines (none in a healthy run) and keeps the first. */
  private void errors(OperatorProcess op) throws IOException {
    List<String> errors = op.errors();
    results.merge("operator_errors", (long) errors.size(), (a, b) -> (Long) a + (Long) b);
    if (!errors.isEmpty() && !results.containsKey("first_operator_error")) {
      String first = errors.get(0);
      results.put("first_operator_error", first.substring(0, Math.min(first.length(), 2000)));
    }
  }

  private Map<String, Double> adminCalls(OperatorProcess op) throws Exception {
    Map<String, Double> out = new LinkedHashMap<>();
    String name = MeteredMinioAdmin.METRIC.replace('.', '_') + "_total";
    Pattern p = Pattern.compile("^" + name + "\\{([^}]*)\\} ([0-9.eE+-]+)$");
    for (String line : op.metrics().split("\n")) {
      Matcher m = p.matcher(line);
      if (m.matches()) {
        Matcher op1 = Pattern.compile("operation=\"([^\"]+)\"").matcher(m.group(1));
        if (op1.find()) {
          out.merge(op1.group(1), Double.parseDouble(m.group(2)), Double::sum);
        }
      }
    }
    return out;
  }

  private double minioS3Requests() throws Exception {
    String text =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(minio.endpoint() + "/minio/v2/metrics/cluster"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return sumMetric(text, "minio_s3_requests_total", "");
  }

  private static double metric(String text, String name) {
    return sumMetric(text, name, "");
  }

  private static double sumMetric(String text, String name, String labelFilter) {
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        if (labelFilter.isEmpty() || line.contains(labelFilter)) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return sum;
  }

  private void awaitReady(String phase, int expected, Duration timeout) throws Exception {
    long t0 = System.nanoTime();
    long lastProgress = t0;
    int best = 0;
    int lastReported = -1;
    while (true) {
      int ready = 0;
      for (S3Integration i :
          client
              .resources(S3Integration.class)
              .inAnyNamespace()
              .withLabel("bench", phase)
              .list()
              .getItems()) {
        if (isReady(i)) {
          ready++;
        }
      }
      if (ready >= expected) {
        return;
      }
      if (ready / Math.max(1, expected / 10) != lastReported) {
        lastReported = ready / Math.max(1, expected / 10);
        progress(
            "  "
                + phase
                + ": "
                + ready
                + " of "
                + expected
                + " Ready after "
                + millis(t0) / 1000
                + " s");
      }
      if (ready > best) {
        best = ready;
        lastProgress = System.nanoTime();
      }
      if (Duration.ofNanos(System.nanoTime() - t0).compareTo(timeout) > 0
          || Duration.ofNanos(System.nanoTime() - lastProgress).toMinutes() >= 5) {
        throw new IllegalStateException(
            phase
                + ": "
                + ready
                + " of "
                + expected
                + " Ready after "
                + millis(t0) / 1000
                + " s; not Ready: "
                + notReady(phase));
      }
      Thread.sleep(500);
    }
  }

  /** A few integrations that are not Ready, with their reasons: why a phase stalled. */
  private String notReady(String phase) {
    return client
        .resources(S3Integration.class)
        .inAnyNamespace()
        .withLabel("bench", phase)
        .list()
        .getItems()
        .stream()
        .filter(i -> !isReady(i))
        .limit(3)
        .map(
            i ->
                i.getMetadata().getNamespace()
                    + "/"
                    + i.getMetadata().getName()
                    + " "
                    + (i.getStatus() == null || i.getStatus().getConditions() == null
                        ? "no status"
                        : i.getStatus().getConditions().stream()
                            .filter(c -> "Ready".equals(c.getType()))
                            .map(c -> c.getReason() + ": " + c.getMessage())
                            .findFirst()
                            .orElse("no Ready")))
        .toList()
        .toString();
  }

  private static boolean isReady(S3Integration i) {
    if (i.getStatus() == null || i.getStatus().getConditions() == null) {
      return false;
    }
    for (Condition c : i.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus())
            && java.util.Objects.equals(c.getObservedGeneration(), i.getMetadata().getGeneration());
      }
    }
    return false;
  }

  /** Counts writes (watch events) to our kinds and our labelled Secrets and ConfigMaps. */
  static final class Counting implements AutoCloseable {
    private final Map<String, AtomicLong> byKind = new LinkedHashMap<>();
    private final List<Watch> watches = new ArrayList<>();

    Counting(KubernetesClient client) {
      watch(client.resources(S3Integration.class).inAnyNamespace(), "S3Integration");
      watch(client.resources(S3AccessPolicy.class).inAnyNamespace(), "S3AccessPolicy");
      watch(client.resources(S3Store.class).inAnyNamespace(), "S3Store");
      watch(client.resources(ClusterS3Store.class), "ClusterS3Store");
      String ours = "app.kubernetes.io/managed-by";
      watch(client.secrets().inAnyNamespace().withLabel(ours, "s3-integration-operator"), "Secret");
      watch(
          client.configMaps().inAnyNamespace().withLabel(ours, "s3-integration-operator"),
          "ConfigMap");
    }

    /** Watches from the current resourceVersion: only what happens from now on counts. */
    private <
            T extends HasMetadata,
            L extends io.fabric8.kubernetes.api.model.KubernetesResourceList<T>>
        void watch(
            io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable<T, L, ?> w, String kind) {
      String rv =
          w.list(new ListOptionsBuilder().withLimit(1L).build()).getMetadata().getResourceVersion();
      watch(w, kind, rv);
    }

    private <T extends HasMetadata> void watch(
        io.fabric8.kubernetes.client.dsl.Watchable<T> w, String kind, String rv) {
      AtomicLong n = new AtomicLong();
      byKind.put(kind, n);
      watches.add(
          w.watch(
              new ListOptionsBuilder().withResourceVersion(rv).build(),
              new Watcher<T>() {
                @Override
                public void eventReceived(Action action, T resource) {
                  if (action != Action.BOOKMARK) {
                    n.incrementAndGet();
                  }
                }

                @Override
                public void onClose(WatcherException cause) {}
              }));
    }

    long total() {
      return byKind.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Events per kind now. */
    Map<String, Long> snapshot() {
      Map<String, Long> out = new LinkedHashMap<>();
      byKind.forEach((k, v) -> out.put(k, v.get()));
      return out;
    }

    /** Events per kind since that snapshot. */
    Map<String, Long> since(Map<String, Long> before) {
      Map<String, Long> out = new LinkedHashMap<>();
      byKind.forEach((k, v) -> out.put(k, v.get() - before.getOrDefault(k, 0L)));
      return out;
    }

    @Override
    public void close() {
      watches.forEach(Watch::close);
    }
  }

  // ------------------------------------------------------------------ report

  /**
   * Writes the figures so far: a phase that fails (the operator out of memory, a stall) leaves the
   * earlier phases' numbers behind.
   */
  private void save() throws IOException {
    Path dir = Path.of(System.getProperty("project.basedir", "."), "target", "bench");
    Files.createDirectories(dir);
    results.put("quick", size.equals(Size.quick()));
    Files.writeString(
        dir.resolve(size.equals(Size.quick()) ? "bench-quick.json" : "bench.json"),
        JSON.writeValueAsString(results));
  }

  private String report() throws IOException {
    save();
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            "%n== scripts/bench%s: %s, %s%n",
            size.n() < 1000 ? " --quick" : "", results.get("date"), results.get("machine")));
    row(
        t,
        "time to Ready, " + size.n() + " managed integrations",
        results.get("operator_s") + " s");
    row(
        t,
        "  floor (same calls, plain Java, same heap and threads)",
        results.get("floor_s") + " s");
    row(t, "  mc (user add, policy create, policy attach)", results.get("mc_s") + " s");
    row(
        t,
        "  ratio_to_floor / ratio_to_mc",
        results.get("ratio_to_floor") + " / " + results.get("ratio_to_mc"));
    row(t, "  floor: mean ms per call", String.valueOf(results.get("floor_mean_ms_per_call")));
    row(
        t,
        "  operator: MinIO admin calls to Ready",
        String.valueOf(results.get("admin_calls_to_ready")));
    row(
        t,
        "  operator: Kubernetes writes per integration to Ready",
        String.valueOf(results.get("api_writes_per_integration_to_ready")));
    row(
        t,
        "steady state (" + size.intervals() + " intervals of " + seconds(size.interval()) + ")",
        String.valueOf(results.get("steady")));
    row(
        t,
        "  steady_writes / reads_per_integration per interval",
        results.get("steady_writes") + " / " + results.get("reads_per_integration"));
    row(
        t,
        "fan-out: " + results.get("fanout_integrations") + " integrations, one policy changed",
        results.get("fanout_s") + " s");
    row(
        t,
        "memory after Ready, " + size.n() + " managed",
        String.valueOf(results.get("after_ready_n")));
    row(
        t,
        "memory after Ready, +" + results.get("validate_only") + " validate-only",
        String.valueOf(results.get("after_ready_validate_only")));
    row(t, "  validate-only time to Ready", results.get("validate_only_ready_s") + " s");
    row(t, "start to first reconcile (everything present)", results.get("start_s") + " s");
    row(
        t,
        "two shards (half the validate-only namespaces each): start",
        String.valueOf(results.get("shards")));
    row(
        t,
        "  memory of shard A (also reconciles ClusterS3Stores)",
        String.valueOf(results.get("shard_a")));
    row(t, "  memory of shard B", String.valueOf(results.get("shard_b")));
    row(
        t,
        "operator ERROR log lines (none expected)",
        String.valueOf(results.get("operator_errors")));
    row(t, "whole run", results.get("bench_s") + " s");
    System.out.print(t);
    @SuppressWarnings("unchecked")
    Map<String, Object> vo = (Map<String, Object>) results.get("after_ready_validate_only");
    return String.format(
        "bench: n=%d ratio_to_floor=%s ratio_to_mc=%s steady_writes=%s reads_per_integration=%s"
            + " fanout_100_s=%s rss_mib_10k=%s start_s=%s",
        size.n(),
        results.get("ratio_to_floor"),
        results.get("ratio_to_mc"),
        results.get("steady_writes"),
        results.get("reads_per_integration"),
        results.get("fanout_s"),
        vo.get("rss_mib_before_gc"), // what the pod's limit sees, before a forced collection
        results.get("start_s"));
  }

  private static void row(StringBuilder t, String what, String value) {
    t.append(String.format("%-58s %s%n", what, value));
  }

  // ------------------------------------------------------------------ helpers

  private static S3Integration labelled(S3Integration i, String phase) {
    i.getMetadata().setLabels(Map.of("bench", phase));
    return i;
  }

  private void parallel(int n, IntConsumer task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(size.threads());
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        futures.add(pool.submit(() -> task.accept(k)));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static long millis(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0).toMillis();
  }

  private static double round2(double d) {
    return Math.round(d * 100) / 100.0;
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + "s";
  }

  private static void progress(String s) {
    System.err.println("bench: " + s);
  }
}
