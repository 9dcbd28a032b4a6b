package dev.integrations.s3.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.secret.ResolvedConfig;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.testing.MinioServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.admin.MinioAdminClient;
import io.minio.admin.UserInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resolver end to end: Secrets exactly as the operator writes them (in the mock API server),
 * presigned URLs fetched from a real MinIO with plain HTTP.
 */
@EnableKubernetesMockClient(crud = true)
class LocatorResolverMinioMockIT {
  static KubernetesClient client;
  static MinioServer minio;
  static MinioAdminClient admin;
  static MinioClient root;
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String RUN = MinioServer.randomSuffix();
  static final SecureRandom RANDOM = new SecureRandom();

  @BeforeAll
  static void server() {
    minio = MinioServer.shared();
    admin = minio.rootAdmin();
    root = minio.rootS3();
  }

  record Keys(String accessKey, String secretKey) {}

  @Test
  void presignedUrlFetchesTheObjectsBytes() throws Exception {
    String ns = "fetch-" + RUN;
    String bucket = bucket("photos-" + RUN);
    String key = "albums/2024 summer/ünïcødé + more.bin";
    byte[] content = put(bucket, key, randomBytes(70_000));
    Keys user = readOnlyUser("fetch" + RUN, bucket);
    integration(ns, "photos", user, bucket, true);

    URI url =
        LocatorResolver.fromCluster(client, ns)
            .presign("s3://" + bucket + "/" + key, Duration.ofMinutes(5));

    HttpResponse<byte[]> r = get(url);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(content);
    assertThat(url.toString()).doesNotContain(user.secretKey());
  }

  @Test
  void bucketOutsideTheGrantRoutesButTheStorageRefusesTheFetch() throws Exception {
    String ns = "outside-" + RUN;
    String granted = bucket("granted-" + RUN);
    String other = bucket("other-" + RUN);
    byte[] inside = put(granted, "in.txt", "inside".getBytes(StandardCharsets.UTF_8));
    put(other, "out.txt", "outside".getBytes(StandardCharsets.UTF_8));
    Keys user = readOnlyUser("outside" + RUN, granted);
    integration(ns, "viz", user, null, true);
    LocatorResolver resolver = LocatorResolver.fromCluster(client, ns);

    // The same default route reads its granted bucket ...
    HttpResponse<byte[]> ok =
        get(resolver.presign("s3://" + granted + "/in.txt", Duration.ofMinutes(1)));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo(inside);
    // ... routes a locator of any other bucket (by pattern), whose fetch the storage refuses.
    URI outside = resolver.presign("s3://" + other + "/out.txt", Duration.ofMinutes(1));
    assertThat(outside.getRawQuery()).contains(user.accessKey());
    HttpResponse<byte[]> denied = get(outside);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(new String(denied.body(), StandardCharsets.UTF_8)).contains("AccessDenied");
  }

  @Test
  void urlIsRefusedAfterItExpires() throws Exception {
    String ns = "expiry-" + RUN;
    String bucket = bucket("expiry-" + RUN);
    put(bucket, "soon-gone.txt", "short-lived".getBytes(StandardCharsets.UTF_8));
    integration(ns, "viz", readOnlyUser("expiry" + RUN, bucket), bucket, true);

    URI url =
        LocatorResolver.fromCluster(client, ns)
            .presign("s3://" + bucket + "/soon-gone.txt", Duration.ofSeconds(1));
    assertThat(url.getRawQuery()).contains("X-Amz-Expires=1&");

    await()
        .pollDelay(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              HttpResponse<byte[]> r = get(url);
              assertThat(r.statusCode()).isEqualTo(403);
              assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("expired");
            });
  }

  @Test
  void cliPrintsAUrlThatFetchesTheSameBytes() throws Exception {
    String ns = "cli-" + RUN;
    String bucket = bucket("cli-" + RUN);
    byte[] content = put(bucket, "report.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
    integration(ns, "viz", readOnlyUser("cli" + RUN, bucket), null, true);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ResolveCommand.run(
            new String[] {"--namespace", ns, "--expiry", "2m", "s3://" + bucket + "/report.csv"},
            client,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(0);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed.strip().lines()).hasSize(1);
    HttpResponse<byte[]> r = get(URI.create(printed.strip()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(content);
  }

  @Test
  void bucketScopedAndDefaultIntegrationsCoexistAndRouteToTheirOwnUsers() throws Exception {
    String ns = "coexist-" + RUN;
    String scopedBucket = bucket("scoped-" + RUN);
    String otherBucket = bucket("general-" + RUN);
    byte[] scopedBytes = put(scopedBucket, "s.txt", "scoped".getBytes(StandardCharsets.UTF_8));
    byte[] otherBytes = put(otherBucket, "g.txt", "general".getBytes(StandardCharsets.UTF_8));
    Keys scopedUser = readOnlyUser("scoped" + RUN, scopedBucket);
    Keys defaultUser = readOnlyUser("default" + RUN, otherBucket);
    integration(ns, "scoped", scopedUser, scopedBucket, true);
    integration(ns, "general", defaultUser, null, true);
    LocatorResolver resolver = LocatorResolver.fromCluster(client, ns);

    assertThat(resolver.routingTable().patterns())
        .containsExactly("s3://" + scopedBucket + "/*", "s3://*");
    assertThat(resolver.route("s3://" + scopedBucket + "/s.txt").integration()).isEqualTo("scoped");
    assertThat(resolver.route("s3://" + otherBucket + "/g.txt").integration()).isEqualTo("general");

    // Each user can read only its own bucket, so each fetch succeeds only if routed correctly.
    URI scopedUrl = resolver.presign("s3://" + scopedBucket + "/s.txt", Duration.ofMinutes(1));
    URI otherUrl = resolver.presign("s3://" + otherBucket + "/g.txt", Duration.ofMinutes(1));
    assertThat(scopedUrl.getRawQuery()).contains(scopedUser.accessKey());
    assertThat(otherUrl.getRawQuery()).contains(defaultUser.accessKey());
    assertThat(get(scopedUrl).body()).isEqualTo(scopedBytes);
    assertThat(get(otherUrl).body()).isEqualTo(otherBytes);
  }

  @Test
  void secretOfANotReadyIntegrationIsSkipped() throws Exception {
    String ns = "notready-" + RUN;
    String bucket = bucket("notready-" + RUN);
    byte[] content = put(bucket, "k.txt", "not yet".getBytes(StandardCharsets.UTF_8));
    integration(ns, "pending", readOnlyUser("notready" + RUN, bucket), bucket, false);
    String locator = "s3://" + bucket + "/k.txt";

    LocatorResolver checked = LocatorResolver.fromCluster(client, ns, true);
    assertThat(checked.routingTable().skipped())
        .singleElement()
        .satisfies(s -> assertThat(s.reason()).contains("pending").contains("not Ready"));
    assertThatThrownBy(() -> checked.presign(locator, Duration.ofMinutes(1)))
        .isInstanceOf(NoRouteException.class)
        .hasMessageContaining(ns)
        .hasMessageContaining("not Ready");

    // The Secret itself works: only the ready check kept it out.
    URI url =
        LocatorResolver.fromCluster(client, ns, false).presign(locator, Duration.ofMinutes(1));
    assertThat(get(url).body()).isEqualTo(content);
  }

  // ---- helpers ----

  /** Stores the S3Integration (Ready or not) and its Secret as ResolvedConfigSecret builds it. */
  private static void integration(String ns, String name, Keys keys, String bucket, boolean ready) {
    S3Integration owner = Fixtures.store(client, ns, name, ready ? "True" : "False", false);
    ResolvedConfig config =
        new ResolvedConfig(
            keys.accessKey(),
            keys.secretKey(),
            minio.endpoint(),
            "us-east-1",
            minio.host(),
            minio.port(),
            "path",
            bucket,
            null,
            null,
            "/var/run/s3-integration");
    client.resource(ResolvedConfigSecret.build(owner, name + "-s3", config, Map.of())).create();
  }

  /** A MinIO user that may only read (list and get) this bucket. */
  private static Keys readOnlyUser(String name, String bucket) throws Exception {
    String policy =
        """
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":["s3:ListBucket","s3:GetBucketLocation"],
           "Resource":["arn:aws:s3:::%1$s"]},
          {"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::%1$s/*"]}]}
        """
            .formatted(bucket);
    admin.addCannedPolicy(name, policy);
    String secret = "S" + MinioServer.randomAlnum(30);
    admin.addUser(name, UserInfo.Status.ENABLED, secret, null, null);
    admin.setPolicy(name, false, name);
    return new Keys(name, secret);
  }

  private static String bucket(String name) throws Exception {
    if (!root.bucketExists(BucketExistsArgs.builder().bucket(name).build())) {
      root.makeBucket(MakeBucketArgs.builder().bucket(name).build());
    }
    return name;
  }

  private static byte[] put(String bucket, String key, byte[] bytes) throws Exception {
    root.putObject(
        PutObjectArgs.builder().bucket(bucket).object(key).stream(
                new ByteArrayInputStream(bytes), bytes.length, -1)
            .build());
    return bytes;
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static HttpResponse<byte[]> get(URI url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
