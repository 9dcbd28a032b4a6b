package dev.integrations.s3.consumers;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.consumer.LocatorResolver;
import dev.integrations.s3.naming.Names;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.secret.TrustStore;
import dev.integrations.s3.storage.HttpClients;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import dev.integrations.s3.testing.TestCa;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract with consumers, proven with their own SDKs: boto3, the AWS CLI and the AWS SDKs for
 * Java v2, Go v2 and JavaScript v3 each get only what a pod gets — the operator's own output Secret
 * as environment ({@code envFrom}, every key, as Kubernetes 1.34 passes them) and the Secret plus
 * the trust store ConfigMap as files at the mount path (one projected volume) — and must list, get,
 * be refused a PutObject, and presign a SigV4 URL that a plain HTTP client can fetch. For four
 * stores: an IP endpoint, a host name ({@code localhost}, where virtual-host style would fail), TLS
 * with a private CA, and a non-default region. Nothing is hand-built: the Secret comes from the
 * operator on the real kube-apiserver, the storage is the real MinIO.
 */
class ConsumerContractIT {
  static KubernetesClient client;
  static OperatorHarness op;
  static Path mount;
  static MinioServer plain;
  static MinioServer regional;
  static MinioServer tls;
  static TestCa ca;

  /** One line per store and client, printed at the end: the matrix of the closing note. */
  static final List<String> matrix = new ArrayList<>();

  static final String KEY = "cats/001.png";
  static final byte[] CONTENT = "not really a png, but 42 bytes of content.".getBytes();

  @BeforeAll
  static void start() throws IOException {
    mount = Files.createTempDirectory("s3i-mount");
    client = KubeApiServer.shared().client();
    op =
        new OperatorHarness(
            client, true, OperatorHarness.CONFIG.withConsumerMountPath(mount.toString()));
    plain = MinioServer.shared();
    regional = MinioServer.startInRegion("eu-central-1");
    ca = TestCa.create("consumers");
    tls = MinioServer.startTls(ca);
  }

  @AfterAll
  static void stop() throws IOException {
    System.out.println(
        "consumer contract matrix (store | client | list | get | put | presigned GET):");
    matrix.forEach(l -> System.out.println("  " + l));
    op.close();
    regional.stop();
    tls.stop();
    clear(mount);
    Files.deleteIfExists(mount);
  }

  /** The stores of the matrix. */
  enum Row {
    IP_ENDPOINT,
    HOSTNAME_ENDPOINT,
    TLS_PRIVATE_CA,
    REGION_EU_CENTRAL_1;

    MinioServer server() {
      return switch (this) {
        case IP_ENDPOINT, HOSTNAME_ENDPOINT -> plain;
        case TLS_PRIVATE_CA -> tls;
        case REGION_EU_CENTRAL_1 -> regional;
      };
    }

    String host() {
      return this == IP_ENDPOINT ? "127.0.0.1" : "localhost";
    }
  }

  @ParameterizedTest
  @EnumSource(Row.class)
  void everyClientListsGetsIsRefusedAPutAndPresignsSigV4(Row row) throws Exception {
    MinioServer server = row.server();
    String ns = KubeApiServer.shared().createNamespace("consumer");
    String bucket = "consumer-" + MinioServer.randomSuffix();
    object(server.rootS3(), bucket, KEY, new String(CONTENT, StandardCharsets.US_ASCII));
    client
        .resource(adminSecret(ns, "minio-admin", server.accessKey(), server.secretKey()))
        .create();
    S3Store s = store(ns, "minio", row.host(), server.port(), "minio-admin");
    s.getSpec().setRegion(server.region());
    if (row == Row.TLS_PRIVATE_CA) {
      client.resource(Fixtures.caSecret(ns, "minio-ca", ca.caPem)).create();
      s.getSpec().setTls(Fixtures.tls("minio-ca"));
    }
    client.resource(s).create();
    client.resource(policy(ns, "read", bucket)).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();
    op.awaitReady(ns, "viz", "True", "Ready");

    Pod pod = pod(ns, "viz-s3");
    String expectedGet =
        "ok size="
            + CONTENT.length
            + " sha256="
            + Names.sha256Hex(new String(CONTENT, StandardCharsets.US_ASCII));
    SoftAssertions soft = new SoftAssertions();
    for (Consumers.Client c : Consumers.Client.values()) {
      Consumers.ConsumerResult r =
          Consumers.run(c, pod.env(c), mount, bucket, KEY, "uploads/forbidden.txt");
      String presigned = fetch(r.presigned(), row == Row.TLS_PRIVATE_CA);
      matrix.add(
          String.join(
              " | ",
              row.name(),
              c.label(),
              r.list(),
              r.get().equals(expectedGet)
                  ? "ok (" + CONTENT.length + " bytes, same SHA-256)"
                  : r.get(),
              r.put(),
              presigned
                  + (r.presigned().contains("X-Amz-Algorithm=AWS4-HMAC-SHA256")
                      ? ", SigV4"
                      : ", NOT SigV4")));
      String what = row + " / " + c.label() + " (stderr: " + r.stderrTail() + ")";
      soft.assertThat(r.list()).as("list, " + what).isEqualTo("ok");
      soft.assertThat(r.get()).as("get, " + what).isEqualTo(expectedGet);
      soft.assertThat(r.put()).as("put, " + what).isEqualTo("refused AccessDenied");
      soft.assertThat(r.presigned())
          .as("presigned, " + what)
          .startsWith(server.endpoint().replace("127.0.0.1", row.host()) + "/" + bucket + "/")
          .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256")
          .contains("%2F" + server.region() + "%2Fs3%2Faws4_request");
      soft.assertThat(presigned)
          .as("presigned GET, " + what)
          .isEqualTo("200 " + CONTENT.length + " bytes");
    }
    soft.assertAll();
  }

  @Test
  void browsersGetUrlsOnThePublicEndpointAndTheOperatorSaysItWorks() throws Exception {
    String ns = KubeApiServer.shared().createNamespace("public");
    String bucket = "public-" + MinioServer.randomSuffix();
    object(plain.rootS3(), bucket, KEY, new String(CONTENT, StandardCharsets.US_ASCII));
    client.resource(adminSecret(ns, "minio-admin", plain.accessKey(), plain.secretKey())).create();
    S3Store s = store(ns, "minio", "127.0.0.1", plain.port(), "minio-admin");
    // in-cluster the operator and services use the IP; browsers know the storage by its name
    s.getSpec().setPublicEndpoint("http://localhost:" + plain.port());
    client.resource(s).create();
    client.resource(policy(ns, "read", bucket)).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();
    op.awaitReady(ns, "viz", "True", "Ready");

    assertThat(condition(ns, "PublicEndpointVerified"))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("Verified");
              assertThat(c.getMessage()).contains("http://localhost:" + plain.port());
            });
    assertThat(op.secretValue(ns, "viz-s3", "S3_PUBLIC_ENDPOINT_URL"))
        .isEqualTo("http://localhost:" + plain.port());
    assertThat(op.secretValue(ns, "viz-s3", "AWS_ENDPOINT_URL"))
        .isEqualTo("http://127.0.0.1:" + plain.port());

    URI url =
        LocatorResolver.fromCluster(client, ns)
            .presign("s3://" + bucket + "/" + KEY, Duration.ofMinutes(5));
    assertThat(url.getHost()).isEqualTo("localhost");
    assertThat(fetch(url.toString(), false)).isEqualTo("200 " + CONTENT.length + " bytes");
    matrix.add(
        "PUBLIC_ENDPOINT | resolver | - | - | - | "
            + fetch(url.toString(), false)
            + " via "
            + url.getHost());
  }

  @Test
  void aPublicEndpointTheOperatorCannotReachLeavesReadyAloneAndOneThatRefusesIsFalse()
      throws Exception {
    int closed = MinioServer.freePort();
    String unreachable = publicEndpointIntegration("http://127.0.0.1:" + closed);
    // another storage that does not know the user: reachable, but it refuses the keys
    String refusing = publicEndpointIntegration(regional.endpoint());

    op.awaitReady(unreachable, "viz", "True", "Ready");
    assertThat(condition(unreachable, "PublicEndpointVerified"))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("Unknown");
              assertThat(c.getReason()).isEqualTo("PublicEndpointUnreachable");
              assertThat(c.getMessage()).contains("127.0.0.1:" + closed).contains("browsers may");
            });
    op.awaitReady(refusing, "viz", "True", "Ready");
    assertThat(condition(refusing, "PublicEndpointVerified"))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("PublicEndpointRefused");
              assertThat(c.getMessage()).contains(regional.endpoint());
            });
  }

  private String publicEndpointIntegration(String publicEndpoint) throws Exception {
    String ns = KubeApiServer.shared().createNamespace("pubcheck");
    String bucket = "pubcheck-" + MinioServer.randomSuffix();
    object(plain.rootS3(), bucket, KEY, "x");
    client.resource(adminSecret(ns, "minio-admin", plain.accessKey(), plain.secretKey())).create();
    S3Store s = store(ns, "minio", "127.0.0.1", plain.port(), "minio-admin");
    s.getSpec().setPublicEndpoint(publicEndpoint);
    client.resource(s).create();
    client.resource(policy(ns, "read", bucket)).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();
    return ns;
  }

  private static Condition condition(String ns, String type) {
    S3Integration i = client.resources(S3Integration.class).inNamespace(ns).withName("viz").get();
    return i.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type + " on " + ns + "/viz"));
  }

  /**
   * What a pod with the documented spec (docs/consumers.md) gets: every key of the Secret as an
   * environment variable ({@code envFrom}), the Secret's keys and the trust store ConfigMap's as
   * files in the mount ({@code projected} volume), and for the JVM {@code JAVA_TOOL_OPTIONS:
   * $(S3_JAVA_TOOL_OPTIONS)}.
   */
  record Pod(Map<String, String> envFrom) {
    Map<String, String> env(Consumers.Client c) {
      Map<String, String> env = new LinkedHashMap<>(envFrom);
      if (c == Consumers.Client.JAVA_SDK_V2) {
        env.put("JAVA_TOOL_OPTIONS", envFrom.get(ResolvedConfigSecret.JAVA_TOOL_OPTIONS));
      }
      return env;
    }
  }

  private static Pod pod(String ns, String secretName) throws IOException {
    Secret secret = client.secrets().inNamespace(ns).withName(secretName).get();
    ConfigMap trust =
        client.configMaps().inNamespace(ns).withName(TrustStore.configMapName(secretName)).get();
    clear(mount);
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : secret.getData().entrySet()) {
      byte[] value = Base64.getDecoder().decode(e.getValue());
      env.put(e.getKey(), new String(value, StandardCharsets.UTF_8));
      Files.write(mount.resolve(e.getKey()), value);
    }
    if (trust != null) {
      for (Map.Entry<String, String> e : trust.getBinaryData().entrySet()) {
        Files.write(mount.resolve(e.getKey()), Base64.getDecoder().decode(e.getValue()));
      }
    }
    return new Pod(env);
  }

  private static void clear(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** A plain HTTP GET, as a browser does it (trusting the private CA as the platform's would). */
  private static String fetch(String url, boolean privateCa) {
    if (url == null || !url.startsWith("http")) {
      return "no URL (" + url + ")";
    }
    try {
      HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
      if (privateCa) {
        b.sslContext(HttpClients.trust(ca.caPem).sslContext());
      }
      HttpResponse<byte[]> r =
          b.build()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      return r.statusCode() + " " + r.body().length + " bytes";
    } catch (Exception e) {
      return "failed: " + e.getClass().getSimpleName();
    }
  }
}
