package dev.integrations.s3.testing;

import io.minio.MinioClient;
import io.minio.admin.MinioAdminClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real MinIO server for integration tests.
 *
 * <p>By default the pinned MinIO is installed from its Go module by {@code scripts/install-minio}
 * (cached, so only the first run builds), then started on 127.0.0.1 on a free port with a temporary
 * data directory and random root credentials, health-checked, and stopped when the JVM exits.
 * {@code MINIO_BIN} names an existing binary instead. {@code TEST_MINIO_ENDPOINT} (e.g. {@code
 * http://127.0.0.1:9000}) with {@code TEST_MINIO_ACCESS_KEY} / {@code TEST_MINIO_SECRET_KEY} uses
 * an external server and starts nothing.
 *
 * <p>When MinIO cannot be installed or started, {@link #shared()} throws with the reason: the tests
 * that need it fail, they are never skipped.
 */
public final class MinioServer {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static MinioServer shared;
  private static RuntimeException sharedFailure;

  private final String host;
  private final int port;
  private final String accessKey;
  private final String secretKey;
  private final Process process;
  private final Path dataDir;
  private final Path logFile;
  private final TestCa ca;
  private final String region;

  private MinioServer(
      String host,
      int port,
      String accessKey,
      String secretKey,
      Process process,
      Path dataDir,
      Path logFile,
      TestCa ca,
      String region) {
    this.region = region;
    this.host = host;
    this.port = port;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.process = process;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.ca = ca;
  }

  /** The server shared by all tests of this JVM, started on first use. */
  public static synchronized MinioServer shared() {
    if (shared != null) {
      return shared;
    }
    if (sharedFailure != null) {
      throw sharedFailure;
    }
    try {
      String external = System.getenv("TEST_MINIO_ENDPOINT");
      shared = external != null && !external.isBlank() ? external(external) : startLocal();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "minio-stop"));
      return shared;
    } catch (RuntimeException e) {
      sharedFailure = e;
      throw e;
    }
  }

  private static MinioServer external(String endpoint) {
    URI uri = URI.create(endpoint);
    String ak = System.getenv("TEST_MINIO_ACCESS_KEY");
    String sk = System.getenv("TEST_MINIO_SECRET_KEY");
    if (ak == null || sk == null) {
      throw new IllegalStateException(
          "TEST_MINIO_ENDPOINT is set, but TEST_MINIO_ACCESS_KEY or TEST_MINIO_SECRET_KEY is not");
    }
    return new MinioServer(
        uri.getHost(), uri.getPort(), ak, sk, null, null, null, null, "us-east-1");
  }

  /** Starts a fresh local MinIO (not shared); the caller stops it. */
  public static MinioServer startLocal() {
    try {
      return startLocal(freePort(), "root" + randomAlnum(12), randomAlnum(32));
    } catch (IOException e) {
      throw new IllegalStateException("no free port: " + e, e);
    }
  }

  /** Starts a fresh local MinIO on this port with these root credentials; the caller stops it. */
  public static MinioServer startLocal(int port, String user, String password) {
    return startLocal(port, user, password, null);
  }

  /** Starts a fresh local MinIO speaking HTTPS with a certificate from this test CA. */
  public static MinioServer startTls(TestCa ca) {
    try {
      return startLocal(freePort(), "root" + randomAlnum(12), randomAlnum(32), ca);
    } catch (IOException e) {
      throw new IllegalStateException("no free port: " + e, e);
    }
  }

  /** Starts a fresh local MinIO listening on the IPv6 loopback [::1] only. */
  public static MinioServer startIpv6() {
    try {
      return startLocal("::1", freePort(), "root" + randomAlnum(12), randomAlnum(32), null);
    } catch (IOException e) {
      throw new IllegalStateException("no free port: " + e, e);
    }
  }

  /** Starts a fresh local MinIO whose site region is this one (MINIO_SITE_REGION). */
  public static MinioServer startInRegion(String region) {
    try {
      return startLocal(
          "127.0.0.1", freePort(), "root" + randomAlnum(12), randomAlnum(32), null, region);
    } catch (IOException e) {
      throw new IllegalStateException("no free port: " + e, e);
    }
  }

  private static MinioServer startLocal(int port, String user, String password, TestCa ca) {
    return startLocal("127.0.0.1", port, user, password, ca);
  }

  private static MinioServer startLocal(
      String host, int port, String user, String password, TestCa ca) {
    return startLocal(host, port, user, password, ca, "us-east-1");
  }

  private static MinioServer startLocal(
      String host, int port, String user, String password, TestCa ca, String region) {
    String bind = host.contains(":") ? "[" + host + "]" : host;
    Path binary = installBinary();
    try {
      int consolePort = freePort();
      Path dataDir = Files.createTempDirectory("minio-it-data");
      Path logDir = Path.of(System.getProperty("project.basedir", "."), "target", "minio");
      Files.createDirectories(logDir);
      Path logFile = logDir.resolve("minio-" + port + ".log");
      ProcessBuilder pb =
          new ProcessBuilder(
                  binary.toString(),
                  "server",
                  "--quiet",
                  "--address",
                  bind + ":" + port,
                  "--console-address",
                  bind + ":" + consolePort,
                  "--certs-dir",
                  ca == null
                      ? Files.createTempDirectory("minio-no-certs").toString()
                      : ca.writeMinioCertsDir().toString(),
                  dataDir.toString())
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile());
      pb.environment().put("MINIO_ROOT_USER", user);
      pb.environment().put("MINIO_ROOT_PASSWORD", password);
      pb.environment().put("MINIO_BROWSER", "off");
      pb.environment().put("MINIO_UPDATE", "off");
      // /minio/v2/metrics/cluster without a token: the benchmark counts S3 requests there
      pb.environment().put("MINIO_PROMETHEUS_AUTH_TYPE", "public");
      if (!"us-east-1".equals(region)) {
        pb.environment().put("MINIO_SITE_REGION", region);
      }
      Process process = pb.start();
      MinioServer server =
          new MinioServer(host, port, user, password, process, dataDir, logFile, ca, region);
      server.awaitHealthy(Duration.ofSeconds(60));
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("could not start MinIO from " + binary + ": " + e, e);
    }
  }

  private static Path installBinary() {
    Path binary =
        InstallScript.run(
            "install-minio",
            Duration.ofMinutes(30),
            "the MinIO integration tests",
            "\nMINIO_BIN=/path/to/minio uses an existing binary instead.");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("scripts/install-minio printed " + binary + ", not a binary");
    }
    return binary;
  }

  private void awaitHealthy(Duration timeout) {
    HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (ca != null) {
      hb.sslContext(dev.integrations.s3.storage.HttpClients.trust(ca.caPem).sslContext());
    }
    HttpClient http = hb.build();
    URI ready = URI.create(endpoint() + "/minio/health/ready");
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "MinIO exited with code "
                + process.exitValue()
                + " during start:\n"
                + InstallScript.tail(logFile, 30));
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200 && answersSignedRequests()) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for MinIO", e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for MinIO", e);
      }
    }
    stop();
    throw new IllegalStateException(
        "MinIO did not become ready within "
            + timeout.toSeconds()
            + "s:\n"
            + InstallScript.tail(logFile, 30));
  }

  /**
   * Whether a signed request with the root keys is served: /minio/health/ready may answer 200 while
   * the object layer or IAM still answers 503 XMinioServerNotInitialized (seen in a CI run on a
   * loaded machine, right after a TLS server started).
   */
  private boolean answersSignedRequests() {
    try {
      rootS3().listBuckets();
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** Stops the process and removes its data directory. */
  public synchronized void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (dataDir != null) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort: a temp directory
      }
    }
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The site region (us-east-1 unless started with {@link #startInRegion}). */
  public String region() {
    return region;
  }

  public String endpoint() {
    return (ca == null ? "http://" : "https://")
        + (host.contains(":") ? "[" + host + "]" : host)
        + ":"
        + port;
  }

  /** The root user's access key. */
  public String accessKey() {
    return accessKey;
  }

  /** The root user's secret key; tests must never print it. */
  public String secretKey() {
    return secretKey;
  }

  public MinioClient rootS3() {
    return s3(accessKey, secretKey);
  }

  public MinioClient s3(String ak, String sk) {
    MinioClient.Builder b =
        MinioClient.builder().endpoint(endpoint()).region(region).credentials(ak, sk);
    if (ca != null) {
      b.httpClient(dev.integrations.s3.storage.HttpClients.forEndpoint(storageEndpoint()));
    }
    return b.build();
  }

  /**
   * minio-admin for the root user. Its {@code listUsers}, {@code listServiceAccount} and the like
   * decrypt the server's answer with minio-java's own madmin code, which knows only Argon2id (ids
   * 0, 1). RustFS encrypts those answers with madmin's PBKDF2 variant (id 2, what MinIO's FIPS
   * builds send), so an answer with id 2 is decrypted here and handed to the library re-encrypted
   * with Argon2id under the same key; MinIO's answers (id 0) pass untouched.
   */
  public MinioAdminClient rootAdmin() {
    okhttp3.OkHttpClient base =
        ca != null
            ? dev.integrations.s3.storage.HttpClients.forEndpoint(storageEndpoint())
            : new okhttp3.OkHttpClient();
    return MinioAdminClient.builder()
        .endpoint(endpoint())
        .credentials(accessKey, secretKey)
        .httpClient(base.newBuilder().addInterceptor(this::pbkdf2AnswersAsArgon2id).build())
        .build();
  }

  private okhttp3.Response pbkdf2AnswersAsArgon2id(okhttp3.Interceptor.Chain chain)
      throws IOException {
    okhttp3.Response response = chain.proceed(chain.request());
    if (!response.isSuccessful()
        || response.body() == null
        || !chain.request().url().encodedPath().startsWith("/minio/admin/v3/")) {
      return response;
    }
    byte[] body = response.body().bytes();
    byte[] handed = body;
    if (body.length > 41 && body[32] == 0x02) {
      try {
        handed =
            dev.integrations.s3.storage.minio.MadminCrypto.encrypt(
                dev.integrations.s3.storage.minio.MadminCrypto.Algorithm.ARGON2ID_AES_GCM,
                secretKey,
                dev.integrations.s3.storage.minio.MadminCrypto.decrypt(secretKey, body));
      } catch (java.security.GeneralSecurityException | RuntimeException e) {
        handed = body; // not madmin's format after all: the library decides
      }
    }
    return response
        .newBuilder()
        .body(okhttp3.ResponseBody.create(handed, response.body().contentType()))
        .build();
  }

  /** How the operator would describe this server (with the test CA when it speaks TLS). */
  public dev.integrations.s3.storage.StorageEndpoint storageEndpoint() {
    return Endpoints.of(host, port, ca != null, region, ca == null ? null : ca.caPem);
  }

  /** A random name suffix for test resources, lower-case letters and digits. */
  public static String randomSuffix() {
    return randomAlnum(8);
  }

  /** Random lower-case letters and digits. */
  public static String randomAlnum(int n) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /** A TCP port on 127.0.0.1 that nothing listens on right now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
