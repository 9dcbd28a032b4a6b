package dev.integrations.s3.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.minio.MinioAdmin;
import dev.integrations.s3.storage.minio.MinioAdminClientAdapter;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * The floor: exactly the storage calls one managed integration needs — add user, add policy,
 * attach, list, ranged get with the new keys — straight against MinIO, with no Kubernetes, through
 * the operator's own admin adapter (same body encryption, same Argon2 bound), in a JVM with the
 * operator's heap and as many threads as the operator has reconcile threads.
 *
 * <p>Arguments: {@code host port n threads bucket key prefix}; admin keys in {@code
 * FLOOR_ACCESS_KEY} / {@code FLOOR_SECRET_KEY}. Prints one JSON object: total milliseconds and the
 * mean milliseconds of each call.
 */
public final class FloorLoop {
  private FloorLoop() {}

  static String readPolicy(String bucket) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\",\"s3:GetBucketLocation\"],"
        + "\"Resource\":[\"arn:aws:s3:::"
        + bucket
        + "\"]},"
        + "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::"
        + bucket
        + "/*\"]}]}";
  }

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    int n = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    String bucket = args[4];
    String key = args[5];
    String prefix = args[6];
    String ak = System.getenv("FLOOR_ACCESS_KEY");
    String sk = System.getenv("FLOOR_SECRET_KEY");
    StorageEndpoint endpoint =
        new StorageEndpoint(
            host,
            port,
            false,
            "us-east-1",
            false,
            null,
            StorageEndpoint.DEFAULT_CONNECT_TIMEOUT,
            StorageEndpoint.DEFAULT_READ_TIMEOUT);
    MinioAdmin admin = MinioAdminClientAdapter.connect(endpoint, ak, sk);
    String document = readPolicy(bucket);
    Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    List<? extends Future<?>> done =
        java.util.stream.IntStream.range(0, n)
            .mapToObj(
                i ->
                    pool.submit(
                        () -> {
                          String user = prefix + i;
                          String secret = "floorSecret" + i + "x".repeat(20);
                          timed(nanos, "addUser", () -> admin.createUser(user, secret));
                          timed(nanos, "addPolicy", () -> admin.putPolicy(user, document));
                          timed(nanos, "attach", () -> admin.attachPolicy(user, user));
                          MinioClient s3 =
                              MinioClient.builder()
                                  .endpoint("http://" + host + ":" + port)
                                  .region("us-east-1")
                                  .credentials(user, secret)
                                  .build();
                          timed(
                              nanos,
                              "list",
                              () -> {
                                for (Result<Item> r :
                                    s3.listObjects(
                                        ListObjectsArgs.builder()
                                            .bucket(bucket)
                                            .maxKeys(1)
                                            .build())) {
                                  r.get();
                                  break;
                                }
                              });
                          timed(
                              nanos,
                              "rangedGet",
                              () -> {
                                try (InputStream in =
                                    s3.getObject(
                                        GetObjectArgs.builder()
                                            .bucket(bucket)
                                            .object(key)
                                            .offset(0L)
                                            .length(1L)
                                            .build())) {
                                  in.readAllBytes();
                                }
                              });
                          return null;
                        }))
            .toList();
    for (Future<?> f : done) {
      f.get();
    }
    long total = System.nanoTime() - start;
    pool.shutdown();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("n", n);
    out.put("threads", threads);
    out.put("total_ms", Duration.ofNanos(total).toMillis());
    nanos.forEach((op, sum) -> out.put(op + "_mean_ms", sum.sum() / 1_000_000.0 / n));
    System.out.println(new ObjectMapper().writeValueAsString(out));
    System.exit(0);
  }

  interface Call {
    void run() throws Exception;
  }

  private static void timed(Map<String, LongAdder> nanos, String op, Call call) {
    long t = System.nanoTime();
    try {
      call.run();
    } catch (Exception e) {
      throw new IllegalStateException(op + " failed: " + e.getMessage(), e);
    }
    nanos.computeIfAbsent(op, k -> new LongAdder()).add(System.nanoTime() - t);
  }
}
