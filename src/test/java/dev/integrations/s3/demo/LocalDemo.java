package dev.integrations.s3.demo;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import dev.integrations.s3.OperatorFactory;
import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.StoreSpec;
import dev.integrations.s3.api.v1alpha1.TlsSpec;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.consumer.LocatorResolver;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.storage.minio.MinioAdminClientAdapter;
import dev.integrations.s3.testing.Examples;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.slf4j.LoggerFactory;

/**
 * The one-command local demo (scripts/demo): etcd, kube-apiserver and MinIO on loopback, sample
 * images in buckets, crds/ and the MinIO examples applied, the operator (production settings,
 * server-side apply on) bringing them to Ready, then what a user would look at: kubectl get, the
 * conditions, the resolved-config Secret (secret key redacted) and a working presigned URL.
 */
public final class LocalDemo {
  /** The operator's namespace in the examples: ClusterS3Store Secrets and records live there. */
  public static final String OPERATOR_NS = "s3-operator";

  /** The tenant namespace whose Secrets serve the sample locator. */
  static final String NS = "team-a";

  static final String SAMPLE_LOCATOR = "s3://share-with-kolena/cats/001.png";

  /** The scenarios of examples/ the demo brings to Ready on the local MinIO. */
  public static final List<String> SCENARIOS = List.of("platform", "single-team");

  private final Path root;
  private final Path dir;
  private final java.io.PrintStream out;
  private final boolean redirectLogs;

  /**
   * @param root the project directory
   * @param out where the demo prints what a user reads
   * @param redirectLogs send the operator's log to .demo/operator.log instead of the console
   */
  LocalDemo(Path root, java.io.PrintStream out, boolean redirectLogs) {
    this.root = root;
    this.dir = root.resolve(".demo");
    this.out = out;
    this.redirectLogs = redirectLogs;
  }

  public static void main(String[] args) throws Exception {
    boolean wait = System.console() != null && !List.of(args).contains("--no-wait");
    Path root = Path.of(System.getProperty("project.basedir", ".")).toAbsolutePath();
    int code = new LocalDemo(root, System.out, true).run(wait);
    System.exit(code);
  }

  int run(boolean wait) throws Exception {
    Files.createDirectories(dir);
    Path operatorLog = dir.resolve("operator.log");
    if (redirectLogs) {
      logTo(operatorLog);
    }
    Instant t0 = Instant.now();

    step("Starting MinIO on 127.0.0.1 (built from its Go module on first use)");
    MinioServer minio = MinioServer.shared();
    say("MinIO %s", minio.endpoint());

    step("Starting etcd and kube-apiserver on loopback (built from their Go modules on first use)");
    KubeApiServer kube = KubeApiServer.shared();
    KubernetesClient client = kube.client();
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, kube.kubeConfigYaml(), StandardCharsets.UTF_8);
    say("API server ready; CRDs from crds/ applied; kubeconfig: %s", root.relativize(kubeconfig));

    step("Creating buckets with sample images");
    MinioClient s3 = minio.rootS3();
    put(s3, "share-with-kolena", "cats/001.png", png(Color.ORANGE, "cat 1"), "image/png");
    put(s3, "share-with-kolena", "cats/002.png", png(Color.GRAY, "cat 2"), "image/png");
    put(
        s3,
        "share-with-kolena",
        "docs/readme.txt",
        "hello from MinIO\n".getBytes(StandardCharsets.UTF_8),
        "text/plain");
    put(s3, "medical-images", "studies/001.png", png(Color.CYAN, "study 1"), "image/png");
    say(
        "s3://share-with-kolena/{cats/001.png,cats/002.png,docs/readme.txt}, s3://medical-images/studies/001.png");

    step(
        "Applying examples/"
            + String.join(", examples/", SCENARIOS)
            + " (stores and admin keys pointed at the local MinIO)");
    List<String> integrations = new ArrayList<>();
    for (HasMetadata r : applyExamples(client, root, minio)) {
      String ns = r.getMetadata().getNamespace();
      say(
          "%s %s",
          r.getKind(),
          ns == null ? r.getMetadata().getName() : ns + "/" + r.getMetadata().getName());
      if (r instanceof S3Integration) {
        integrations.add(ns + "/" + r.getMetadata().getName());
      }
    }

    step(
        "Running the operator (production settings: server-side apply on); log: "
            + root.relativize(operatorLog));
    Operator operator =
        OperatorFactory.create(
            client,
            OperatorConfig.defaults().withOperatorNamespace(OPERATOR_NS),
            new SimpleMeterRegistry(),
            Clock.systemUTC(),
            MinioAdminClientAdapter::connect,
            true);
    Runtime.getRuntime().addShutdownHook(new Thread(operator::stop, "operator-stop"));
    operator.start();

    step("Waiting for Ready");
    boolean ready = awaitReady(client, integrations, Duration.ofMinutes(3));

    step("kubectl get clusters3stores,s3stores -A");
    kubectl(kube, kubeconfig, "get", "clusters3stores,s3stores", "-A");
    step("kubectl get s3i -A");
    kubectl(kube, kubeconfig, "get", "s3i", "-A");

    step("Conditions");
    for (String name : integrations) {
      S3Integration i = integration(client, name);
      out.printf("  %s:%n", name);
      for (Condition c : i.getStatus().getConditions()) {
        out.printf(
            "    %-17s %-7s %-18s %s%n", c.getType(), c.getStatus(), c.getReason(), c.getMessage());
      }
    }

    for (String name : integrations) {
      S3Integration i = integration(client, name);
      String secretName = i.getStatus().getSecretName();
      String ns = i.getMetadata().getNamespace();
      step("Secret " + ns + "/" + secretName + " (the contract with consumers; key redacted)");
      printSecret(client.secrets().inNamespace(ns).withName(secretName).get());
    }

    step("A presigned URL for " + SAMPLE_LOCATOR + ", resolved from the Secrets alone");
    URI url =
        LocatorResolver.fromCluster(client, NS, true)
            .presign(SAMPLE_LOCATOR, Duration.ofMinutes(15));
    HttpResponse<byte[]> fetched =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
    out.println("  " + url);
    say(
        "GET -> HTTP %d, %d bytes, %s",
        fetched.statusCode(),
        fetched.body().length,
        fetched.headers().firstValue("Content-Type").orElse("?"));

    step(
        String.format(
            "Done in %ds: %s",
            Duration.between(t0, Instant.now()).toSeconds(),
            ready ? "every integration is Ready" : "NOT every integration became Ready"));
    Path kubectl = kubectlBinary(kube);
    out.printf(
        "  Explore with kubectl:%n    export KUBECONFIG=%s%n    %s get clusters3stores,s3i -A%n    %s describe s3i viz -n %s%n",
        kubeconfig, kubectl, kubectl, NS);
    if (wait && ready) {
      out.println("  Everything keeps running until you press Ctrl-C.");
      Thread.currentThread().join();
    } else {
      out.println(
          "  (--no-wait, or no terminal: run scripts/demo in a terminal to keep it running)");
    }
    out.println("  Stopping the operator, kube-apiserver, etcd and MinIO.");
    // Stopped here, not only by the shutdown hook: in the test suite the JVM goes on, and an
    // operator left running would reconcile the resources of every later test as a second writer.
    operator.stop();
    return ready && fetched.statusCode() == 200 ? 0 : 1;
  }

  /** The demo's scenarios, with the stores and admin keys pointed at the local server. */
  /**
   * Applies the demo's scenarios, with the stores and admin keys pointed at the local MinIO, into
   * an API server that has the operator's namespace as its install creates it; returns what it
   * applied, in order. The demo and the image's smoke run (ImageSmoke) start from the same state.
   */
  public static List<HasMetadata> applyExamples(
      KubernetesClient client, Path root, MinioServer minio) throws IOException {
    // the operator's namespace, as its install (helm install -n s3-operator) creates it
    client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(OPERATOR_NS)
                .endMetadata()
                .build())
        .serverSideApply();
    List<HasMetadata> result = new ArrayList<>();
    for (String scenario : SCENARIOS) {
      for (HasMetadata r : Examples.load(root.resolve("examples").resolve(scenario))) {
        if (r instanceof ClusterS3Store s) {
          pointAt(s.getSpec(), minio);
        } else if (r instanceof S3Store s) {
          pointAt(s.getSpec(), minio);
        } else if (r instanceof Secret s && s.getMetadata().getName().equals("minio-admin")) {
          s.setStringData(Map.of("accessKey", minio.accessKey(), "secretKey", minio.secretKey()));
        }
        client.resource(r).forceConflicts().serverSideApply();
        result.add(r);
      }
    }
    return result;
  }

  private static void pointAt(StoreSpec spec, MinioServer minio) {
    spec.setEndpoint(minio.host());
    spec.setPort(minio.port());
    TlsSpec tls = new TlsSpec();
    tls.setEnabled(false);
    spec.setTls(tls);
  }

  /** The integration {@code namespace/name}, or null. */
  public static S3Integration integration(KubernetesClient client, String nsName) {
    String[] p = nsName.split("/");
    return client.resources(S3Integration.class).inNamespace(p[0]).withName(p[1]).get();
  }

  private boolean awaitReady(KubernetesClient client, List<String> names, Duration timeout)
      throws InterruptedException {
    return awaitReady(client, names, timeout, line -> say("%s", line));
  }

  /**
   * Waits until every integration {@code namespace/name} in {@code names} is Ready=True, printing
   * each one's Ready condition whenever it changes; false when {@code timeout} passes first. The
   * demo and the image's smoke run (ImageSmoke) wait the same way.
   */
  public static boolean awaitReady(
      KubernetesClient client,
      List<String> names,
      Duration timeout,
      java.util.function.Consumer<String> print)
      throws InterruptedException {
    Map<String, String> last = new TreeMap<>();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      boolean all = true;
      for (String name : names) {
        Optional<Condition> c = readyCondition(integration(client, name));
        String state =
            c.map(x -> "Ready=" + x.getStatus() + " (" + x.getReason() + ") " + x.getMessage())
                .orElse("waiting for the operator");
        if (!state.equals(last.get(name))) {
          print.accept(name + ": " + state);
          last.put(name, state);
        }
        all &= c.map(x -> "True".equals(x.getStatus())).orElse(false);
      }
      if (all) {
        return true;
      }
      Thread.sleep(300);
    }
    return false;
  }

  /** The Ready condition of an integration, if it has one. */
  public static Optional<Condition> readyCondition(S3Integration i) {
    return i == null || i.getStatus() == null
        ? Optional.empty()
        : Conditions.find(i.getStatus().getConditions(), ConditionTypes.READY);
  }

  private void printSecret(Secret secret) throws IOException {
    Map<String, String> shown = new LinkedHashMap<>();
    for (String key : new TreeMap<>(secret.getData()).keySet()) {
      String value = ResolvedConfigSecret.value(secret, key).orElse("");
      if (key.equals(ResolvedConfigSecret.SECRET_ACCESS_KEY)) {
        value = "<redacted: " + value.length() + " characters>";
      } else if (value.contains("\n")) {
        value = value.strip().replace("\n", "\\n"); // ca.crt, aws-config: one line each
      }
      shown.put(key, value);
    }
    shown.forEach((k, v) -> out.printf("    %-22s %s%n", k, v));
    out.printf("    labels: %s%n", secret.getMetadata().getLabels());
  }

  private void kubectl(KubeApiServer kube, Path kubeconfig, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(kubectlBinary(kube).toString());
    cmd.add("--kubeconfig");
    cmd.add(kubeconfig.toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    text.lines().forEach(l -> out.println("  " + l));
  }

  private Path kubectlBinary(KubeApiServer kube) throws IOException {
    try (var dirs = Files.list(root.resolve("target/kube-api-test/k8s"))) {
      return dirs.findFirst().orElseThrow().resolve("kubectl");
    }
  }

  private static void put(MinioClient s3, String bucket, String key, byte[] bytes, String type)
      throws Exception {
    if (!s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
      s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
    }
    s3.putObject(
        PutObjectArgs.builder().bucket(bucket).object(key).contentType(type).stream(
                new ByteArrayInputStream(bytes), bytes.length, -1)
            .build());
  }

  private static byte[] png(Color color, String label) throws IOException {
    BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, 160, 120);
    g.setColor(Color.BLACK);
    g.drawString(label, 20, 64);
    g.dispose();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(img, "png", bytes);
    return bytes.toByteArray();
  }

  private static void logTo(Path file) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger rootLogger = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLogger.detachAndStopAllAppenders();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setFile(file.toString());
    appender.setAppend(false);
    appender.setEncoder(encoder);
    appender.start();
    rootLogger.addAppender(appender);
  }

  private void step(String text) {
    out.println();
    out.println("==> " + text);
  }

  private void say(String format, Object... args) {
    out.println("  " + String.format(format, args));
  }
}
