package dev.integrations.s3.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.minio.MinioAdminClientAdapter.BodyEncryption;
import dev.integrations.s3.testing.Endpoints;
import dev.integrations.s3.testing.MinioServer;
import io.minio.admin.Crypto;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What one encrypted admin call costs with each {@link BodyEncryption}, measured against the real
 * MinIO and printed (also to {@code target/body-encryption-cost.txt}); nothing here asserts a time.
 * Per call, median of {@code -Dcost.runs} (10) after two warm-up calls:
 *
 * <ul>
 *   <li>wall: the whole round trip (our encryption, the request, MinIO's decryption and work);
 *   <li>thread CPU and allocated: the calling thread (encryption, signing, HTTP on that thread);
 *   <li>JVM CPU: every thread of this JVM (GC of the Argon2 blocks included), and MinIO CPU: the
 *       local server process, when this JVM started it (its Argon2 or PBKDF2) — both the mean over
 *       the runs, as the kernel counts them in 10 ms ticks.
 * </ul>
 */
class BodyEncryptionCostIT {
  static final int WARMUP = 2;
  static final int RUNS = Integer.getInteger("cost.runs", 10);
  static final long MIB = 1024L * 1024;

  static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  record Sample(long wall, long threadCpu, long allocated, long jvmCpu, long serverCpu) {}

  interface Call {
    void run(int i) throws Exception;
  }

  private final StringBuilder report = new StringBuilder();
  private Optional<ProcessHandle> server = Optional.empty();

  @Test
  void printWhatEachBodyEncryptionCosts() throws Exception {
    MinioServer minio = MinioServer.shared();
    StorageEndpoint endpoint = Endpoints.of(minio.host(), minio.port(), false, "us-east-1");
    server =
        ProcessHandle.current()
            .descendants()
            .filter(p -> p.info().command().map(c -> c.endsWith("minio")).orElse(false))
            .findFirst();
    String run = MinioServer.randomSuffix();
    String adminSecret = minio.secretKey();
    byte[] body =
        ("{\"secretKey\":\"" + MinioServer.randomAlnum(40) + "\",\"status\":\"enabled\"}")
            .getBytes(StandardCharsets.UTF_8);
    line(
        "%d runs after %d warm-up calls, median per call; %d cores, max heap %d MiB, MinIO CPU %s",
        RUNS,
        WARMUP,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / MIB,
        server.isPresent() ? "measured" : "not measured (external server)");
    line(
        "%-44s %9s %11s %10s %15s %17s",
        "", "wall ms", "thread CPU", "allocated", "JVM CPU (mean)", "MinIO CPU (mean)");

    // the encryption alone, no network
    Sample argon2 =
        measure(
            "encrypt only, Argon2id (minio-admin Crypto)", i -> Crypto.encrypt(body, adminSecret));
    Sample pbkdf2 =
        measure(
            "encrypt only, PBKDF2 (MadminCrypto)",
            50, // cheap: warm the JIT up like the operator after a few hours
            i -> MadminCrypto.encrypt(MadminCrypto.Algorithm.PBKDF2_AES_GCM, adminSecret, body));

    // add-user round trips, each a new user
    for (BodyEncryption e : BodyEncryption.values()) {
      MinioAdmin admin =
          MinioAdminClientAdapter.connect(endpoint, minio.accessKey(), adminSecret, e);
      String prefix = "cost-" + e.name().toLowerCase(Locale.ROOT) + "-" + run + "-";
      admin.user("warm-up-the-connection");
      measure("add-user round trip, " + e, i -> admin.createUser(prefix + i, secret()));
      for (int i = 0; i < WARMUP + RUNS; i++) {
        admin.deleteUser(prefix + i);
      }
    }

    // add-service-account round trips (MinIO encrypts its answer with Argon2id either way)
    for (BodyEncryption e : BodyEncryption.values()) {
      MinioAdmin admin =
          MinioAdminClientAdapter.connect(endpoint, minio.accessKey(), adminSecret, e);
      String parent = "cost-sa-" + e.name().toLowerCase(Locale.ROOT) + "-" + run;
      admin.createUser(parent, secret());
      String prefix = "S3ICOST" + e.ordinal() + run.toUpperCase(Locale.ROOT);
      Instant expiration = Instant.now().plus(Duration.ofDays(1));
      measure(
          "add-service-account round trip, " + e,
          i -> admin.createServiceAccount(parent, prefix + i, secret(), expiration));
      admin.deleteUser(parent); // takes its service accounts along
    }

    System.out.println(report);
    Path out = Path.of(System.getProperty("project.basedir", "."), "target");
    Files.createDirectories(out);
    Files.writeString(out.resolve("body-encryption-cost.txt"), report.toString());

    // memory, not time: Argon2id fills 64 MiB per call, PBKDF2 next to nothing
    assertThat(argon2.allocated()).isGreaterThanOrEqualTo(64 * MIB);
    assertThat(pbkdf2.allocated()).isLessThan(MIB);
  }

  private Sample measure(String name, Call call) throws Exception {
    return measure(name, WARMUP, call);
  }

  private Sample measure(String name, int warmup, Call call) throws Exception {
    for (int i = 0; i < warmup; i++) {
      call.run(i);
    }
    List<Sample> samples = new ArrayList<>();
    long serverStart = serverCpu();
    long jvmStart = OS.getProcessCpuTime();
    for (int i = warmup; i < warmup + RUNS; i++) {
      long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
      long cpu0 = THREADS.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      call.run(i);
      long wall = System.nanoTime() - wall0;
      long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
      long alloc = THREADS.getCurrentThreadAllocatedBytes() - alloc0;
      samples.add(new Sample(wall, cpu, alloc, 0, 0));
    }
    long jvmMean = (OS.getProcessCpuTime() - jvmStart) / RUNS;
    long serverMean = server.isPresent() ? (serverCpu() - serverStart) / RUNS : -1;
    Sample median =
        new Sample(
            median(samples.stream().mapToLong(Sample::wall).toArray()),
            median(samples.stream().mapToLong(Sample::threadCpu).toArray()),
            median(samples.stream().mapToLong(Sample::allocated).toArray()),
            jvmMean,
            serverMean);
    line(
        "%-44s %9.1f %8.1f ms %6.1f MiB %12.1f ms %17s",
        name,
        median.wall() / 1e6,
        median.threadCpu() / 1e6,
        median.allocated() / (double) MIB,
        median.jvmCpu() / 1e6,
        median.serverCpu() < 0
            ? "n/a"
            : String.format(Locale.ROOT, "%.1f ms", median.serverCpu() / 1e6));
    return median;
  }

  private long serverCpu() {
    return server.flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
  }

  private static long median(long[] values) {
    long[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private void line(String format, Object... args) {
    report.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  private static String secret() {
    return MinioServer.randomAlnum(40);
  }
}
