package dev.integrations.s3.image;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.demo.LocalDemo;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorProcess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The image's smoke run ({@code scripts/image --smoke}): the suite's kube-apiserver (CRDs applied)
 * and MinIO on loopback, the platform and single-team examples pointed at that MinIO, then the
 * image started by the command given as arguments (podman, or its root filesystem run directly)
 * with {@code SMOKE_KUBECONFIG}, {@code SMOKE_HTTP_PORT} and {@code SMOKE_PROBE_PORT} in its
 * environment. It prints what the operator in the image logs, its /readyz, who it runs as, and
 * waits until every integration is Ready; exit 0 only then.
 *
 * <p>Arguments: the image name (for the report), then the command that runs the image.
 */
public final class ImageSmoke {
  static final String OPERATOR_NS = LocalDemo.OPERATOR_NS;
  static final List<String> SCENARIOS = LocalDemo.SCENARIOS;

  /** One object in each bucket, under the prefixes the examples allow. */
  static final Map<String, String> OBJECTS =
      Map.of("share-with-kolena", "cats/hello.txt", "medical-images", "studies/hello.txt");

  static final String MAIN_CLASS = "dev.integrations.s3.Main";

  private ImageSmoke() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ImageSmoke <image> <command to run it>...");
      System.exit(2);
    }
    int code;
    try {
      code = run(args[0], List.of(args).subList(1, args.length));
    } catch (Exception e) {
      System.out.println("==> FAILED: " + e);
      code = 1;
    }
    System.exit(code); // the shutdown hooks stop kube-apiserver, etcd and MinIO
  }

  static int run(String image, List<String> command) throws Exception {
    Path root = Path.of(System.getProperty("project.basedir", ".")).toAbsolutePath();
    Path dir = Files.createDirectories(root.resolve("target/image/smoke"));
    Instant t0 = Instant.now();

    step("Starting MinIO and kube-apiserver on loopback (the suite's fixtures)");
    MinioServer minio = MinioServer.shared();
    KubeApiServer kube = KubeApiServer.shared();
    KubernetesClient client = kube.client();
    say("MinIO %s; kube-apiserver %s, CRDs applied", minio.endpoint(), client.getMasterUrl());

    // The operator's credentials for the throwaway API server; readable by the image's user.
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.deleteIfExists(kubeconfig);
    Files.createFile(
        kubeconfig,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    Files.writeString(kubeconfig, selfContained(client.getConfiguration()), StandardCharsets.UTF_8);

    step("Creating the buckets the examples read");
    MinioClient s3 = minio.rootS3();
    for (Map.Entry<String, String> o : new TreeMap<>(OBJECTS).entrySet()) {
      String bucket = o.getKey();
      if (!s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
        s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
      }
      byte[] hello = ("hello from " + bucket + "\n").getBytes(StandardCharsets.UTF_8);
      s3.putObject(
          PutObjectArgs.builder().bucket(bucket).object(o.getValue()).stream(
                  new ByteArrayInputStream(hello), hello.length, -1)
              .build());
      say("s3://%s/%s", bucket, o.getValue());
    }

    step("Applying examples/" + String.join(", examples/", SCENARIOS) + " (pointed at that MinIO)");
    List<String> integrations = new ArrayList<>();
    for (HasMetadata r : LocalDemo.applyExamples(client, root, minio)) {
      if (r instanceof S3Integration) {
        integrations.add(r.getMetadata().getNamespace() + "/" + r.getMetadata().getName());
      }
    }
    say("integrations: %s", String.join(", ", integrations));

    int port = MinioServer.freePort();
    int probePort = OperatorProcess.freePortBut(port);
    step("Starting the image " + image + ": " + String.join(" ", command));
    Path log = dir.resolve("operator.log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SMOKE_KUBECONFIG", kubeconfig.toString());
    pb.environment().put("SMOKE_HTTP_PORT", String.valueOf(port));
    pb.environment().put("SMOKE_PROBE_PORT", String.valueOf(probePort));
    pb.environment().put("SMOKE_OPERATOR_NAMESPACE", OPERATOR_NS);
    Process process = pb.start();
    Thread output = follow(process, log);
    boolean ready = false;
    try {
      waitReadyz(process, probePort);
      step("The operator in the image answers /readyz on port " + probePort);
      describeProcess();
      step("Waiting for Ready");
      ready = awaitReady(client, integrations, Duration.ofMinutes(3));
      step("kubectl get s3i -A (as the API server has it)");
      say("%-10s %-12s %-6s %-11s %s", "NAMESPACE", "NAME", "READY", "STORE", "SECRET");
      for (String name : integrations) {
        S3Integration i = LocalDemo.integration(client, name);
        String secretName = i.getStatus() == null ? null : i.getStatus().getSecretName();
        Secret secret =
            secretName == null
                ? null
                : client
                    .secrets()
                    .inNamespace(i.getMetadata().getNamespace())
                    .withName(secretName)
                    .get();
        say(
            "%-10s %-12s %-6s %-11s %s",
            i.getMetadata().getNamespace(),
            i.getMetadata().getName(),
            readyCondition(i).map(Condition::getStatus).orElse("-"),
            i.getSpec().getStoreRef().getName(),
            secret == null ? "(none)" : secretName + " (" + secret.getData().size() + " keys)");
      }
    } finally {
      step("Stopping the image (SIGTERM)");
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        say("still running after 60 s: killing it");
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
      output.join(10_000);
      Files.deleteIfExists(kubeconfig);
      if (process.isAlive()) {
        say("still alive after SIGKILL!");
      } else {
        int exit = process.exitValue();
        say("exit %d%s", exit, exit == 143 ? " (128 + SIGTERM: how the JVM ends on a stop)" : "");
      }
    }
    step(
        String.format(
            "Done in %ds: %s",
            Duration.between(t0, Instant.now()).toSeconds(),
            ready
                ? "every integration is Ready, reconciled by the operator in the image"
                : "NOT every integration became Ready; the image's log: " + root.relativize(log)));
    return ready ? 0 : 1;
  }

  /**
   * A kubeconfig with the certificates inline: the suite's names files on the host, which the image
   * does not see.
   */
  static String selfContained(Config c) throws IOException {
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "  - name: smoke",
        "    cluster:",
        "      server: " + c.getMasterUrl(),
        "      certificate-authority-data: " + inline(c.getCaCertData(), c.getCaCertFile()),
        "users:",
        "  - name: smoke",
        "    user:",
        "      client-certificate-data: " + inline(c.getClientCertData(), c.getClientCertFile()),
        "      client-key-data: " + inline(c.getClientKeyData(), c.getClientKeyFile()),
        "contexts:",
        "  - name: smoke",
        "    context: {cluster: smoke, user: smoke}",
        "current-context: smoke",
        "");
  }

  private static String inline(String data, String file) throws IOException {
    if (data != null && !data.isBlank()) {
      return data;
    }
    if (file == null) {
      throw new IllegalStateException("the suite's kubeconfig has neither data nor a file");
    }
    return Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(file)));
  }

  /** Follows the image's output, which goes to a log file, onto the console (indented). */
  private static Thread follow(Process process, Path log) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
                StringBuilder partial = new StringBuilder();
                boolean exited = false;
                while (true) {
                  int c = in.read();
                  if (c == -1) {
                    if (exited) {
                      break;
                    }
                    exited = !process.isAlive(); // one more pass after the exit, then stop
                    Thread.sleep(100);
                  } else if (c == '\n') {
                    System.out.println("  | " + partial);
                    partial.setLength(0);
                  } else {
                    partial.append((char) c);
                  }
                }
                if (!partial.isEmpty()) {
                  System.out.println("  | " + partial);
                }
              } catch (IOException e) {
                System.out.println("  | (could not read " + log + ": " + e + ")");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "image-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void waitReadyz(Process process, int port) throws Exception {
    OperatorProcess.awaitReadyz(process, port, Duration.ofSeconds(180), "the image");
  }

  /** Who the operator's JVM runs as and what its root is, from the host's /proc. */
  private static void describeProcess() {
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self)
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(MAIN_CLASS)).orElse(false))
        .forEach(
            p -> {
              try {
                Path proc = Path.of("/proc", String.valueOf(p.pid()));
                String uid = field(proc.resolve("status"), "Uid:");
                String gid = field(proc.resolve("status"), "Gid:");
                String groups = field(proc.resolve("status"), "Groups:");
                String caps = field(proc.resolve("status"), "CapEff:");
                say(
                    "pid %d: %s %s",
                    p.pid(),
                    p.info().command().orElse("?"),
                    String.join(" ", p.info().arguments().orElse(new String[0])));
                say(
                    "  uid %s, gid %s, groups [%s], effective capabilities %s",
                    uid, gid, groups, caps);
                say("  root %s", Files.readSymbolicLink(proc.resolve("root")));
                String mounts = Files.readString(proc.resolve("mounts"));
                mounts
                    .lines()
                    .filter(l -> l.split(" ")[1].equals("/") || l.split(" ")[1].equals("/tmp"))
                    .forEach(l -> say("  mount %s", l));
              } catch (IOException e) {
                say("pid %d: /proc not readable: %s", p.pid(), e);
              }
            });
  }

  private static String field(Path status, String name) throws IOException {
    return Files.readAllLines(status).stream()
        .filter(l -> l.startsWith(name))
        .map(l -> l.substring(name.length()).trim().replaceAll("\\s+", " "))
        .findFirst()
        .orElse("?");
  }

  private static Optional<Condition> readyCondition(S3Integration i) {
    return LocalDemo.readyCondition(i);
  }

  private static boolean awaitReady(KubernetesClient client, List<String> names, Duration timeout)
      throws InterruptedException {
    return LocalDemo.awaitReady(client, names, timeout, line -> say("%s", line));
  }

  private static void step(String text) {
    System.out.println();
    System.out.println("==> " + text);
  }

  private static void say(String format, Object... args) {
    System.out.println("  " + String.format(format, args));
  }
}
