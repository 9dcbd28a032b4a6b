package dev.integrations.s3.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.testing.Endpoints;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.verify.ProbeResult.Outcome;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.admin.MinioAdminClient;
import io.minio.admin.UserInfo;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link AccessProber} against a real MinIO, with users holding policies rendered by {@link
 * PolicyDocument}: what the issued keys can list and read, how rejected keys and dead endpoints are
 * reported, and that probing writes nothing.
 */
class AccessProberIT {
  static MinioServer minio;
  static MinioAdminClient admin;
  static MinioClient root;
  static StorageEndpoint endpoint;
  static final String RUN = MinioServer.randomSuffix();
  final AccessProber prober = new AccessProber();

  record Keys(String accessKey, String secretKey) {}

  @BeforeAll
  static void server() {
    minio = MinioServer.shared();
    admin = minio.rootAdmin();
    root = minio.rootS3();
    endpoint = Endpoints.of(minio.host(), minio.port(), false, "us-east-1");
  }

  @Test
  void wholeBucketGrantListsAndReadsDeniesOthersAndReportsMissingAndEmptyBuckets()
      throws Exception {
    String granted =
        bucket("pr-full-" + RUN, Map.of("cats/001.jpg", "meow", "dogs/002.jpg", "wuf"));
    String other = bucket("pr-other-" + RUN, Map.of("secret.txt", "no"));
    String missing = "pr-missing-" + RUN;
    String empty = bucket("pr-empty-" + RUN, Map.of());
    Keys keys =
        user(
            "full" + RUN,
            new ReadGrant(
                List.of(
                    new BucketGrant(granted, null),
                    new BucketGrant(missing, null),
                    new BucketGrant(empty, null)),
                null));
    Map<String, String> grantedBefore = contents(granted);
    Map<String, String> otherBefore = contents(other);

    List<ProbeResult> result =
        prober.probe(
            endpoint,
            keys.accessKey(),
            keys.secretKey(),
            List.of(whole(granted), whole(other), whole(missing), whole(empty), whole(granted)),
            ProbeBudget.standard());

    assertThat(result)
        .containsExactly(
            new ProbeResult(granted, Outcome.Allowed, Outcome.Allowed, null),
            new ProbeResult(other, Outcome.Denied, null, "list denied: AccessDenied"),
            new ProbeResult(
                missing, Outcome.NoSuchBucket, Outcome.NoSuchBucket, "bucket does not exist"),
            new ProbeResult(
                empty,
                Outcome.Allowed,
                Outcome.NoObjects,
                "bucket is empty: no object to prove read access with"));

    // probing wrote nothing: same keys, same bytes, no bucket created
    assertThat(contents(granted)).isEqualTo(grantedBefore).hasSize(2);
    assertThat(contents(other)).isEqualTo(otherBefore).hasSize(1);
    assertThat(contents(empty)).isEmpty();
    assertThat(root.bucketExists(io.minio.BucketExistsArgs.builder().bucket(missing).build()))
        .isFalse();
  }

  @Test
  void prefixGrantIsProbedInsideThePrefix() throws Exception {
    // "aaa/" sorts before "images/": a whole-bucket probe would pick it, and be denied
    String media =
        bucket(
            "pr-media-" + RUN,
            Map.of("aaa/first.txt", "a", "images/cat.png", "png", "zzz.txt", "z"));
    String docs = bucket("pr-docs-" + RUN, Map.of("docs/x.pdf", "pdf"));
    Keys keys =
        user(
            "prefix" + RUN,
            new ReadGrant(
                List.of(
                    new BucketGrant(media, List.of("images/", "none/")),
                    new BucketGrant(docs, List.of("empty/"))),
                null));
    Map<String, String> mediaBefore = contents(media);

    assertThat(
            prober.probe(
                endpoint,
                keys.accessKey(),
                keys.secretKey(),
                List.of(new BucketScope(media, List.of("images/"))),
                ProbeBudget.standard()))
        .containsExactly(new ProbeResult(media, Outcome.Allowed, Outcome.Allowed, null));
    // first prefix empty, the second has an object: read access is still proven
    assertThat(
            prober.probe(
                endpoint,
                keys.accessKey(),
                keys.secretKey(),
                List.of(new BucketScope(media, List.of("none/", "images/"))),
                ProbeBudget.standard()))
        .containsExactly(new ProbeResult(media, Outcome.Allowed, Outcome.Allowed, null));
    assertThat(
            prober.probe(
                endpoint,
                keys.accessKey(),
                keys.secretKey(),
                List.of(new BucketScope(docs, List.of("empty/"))),
                ProbeBudget.standard()))
        .containsExactly(
            new ProbeResult(
                docs,
                Outcome.Allowed,
                Outcome.NoObjects,
                "no object under the granted prefix \"empty/\": no object to prove read access"
                    + " with"));
    // the same keys probing the whole bucket are denied: the prefix is what made it work
    assertThat(
            prober.probe(
                endpoint,
                keys.accessKey(),
                keys.secretKey(),
                List.of(whole(media)),
                ProbeBudget.standard()))
        .containsExactly(new ProbeResult(media, Outcome.Denied, null, "list denied: AccessDenied"));
    assertThat(contents(media)).isEqualTo(mediaBefore).hasSize(3);
  }

  @Test
  void theRequestBudgetSamplesPrefixesReportsWhatItLeftAndRotates() throws Exception {
    // three buckets of ten granted prefixes each; only the last prefix holds an object
    List<String> prefixes = new java.util.ArrayList<>();
    for (int p = 0; p < 10; p++) {
      prefixes.add("p" + p + "/");
    }
    List<String> buckets = new java.util.ArrayList<>();
    List<BucketGrant> grants = new java.util.ArrayList<>();
    List<BucketScope> scopes = new java.util.ArrayList<>();
    for (int b = 0; b < 3; b++) {
      String name = bucket("pr-budget" + b + "-" + RUN, Map.of("p9/object.txt", "x"));
      buckets.add(name);
      grants.add(new BucketGrant(name, prefixes));
      scopes.add(new BucketScope(name, prefixes));
    }
    Keys keys = user("budget" + RUN, new ReadGrant(grants, null));
    java.time.Instant later = java.time.Instant.now().plusSeconds(60);

    // 16 requests: the first bucket takes 10 lists and a read, the second 4 lists (one is kept for
    // a read), the third none
    List<ProbeResult> first =
        prober.probe(
            endpoint, keys.accessKey(), keys.secretKey(), scopes, new ProbeBudget(16, later, 0));

    assertThat(first.get(0))
        .isEqualTo(new ProbeResult(buckets.get(0), Outcome.Allowed, Outcome.Allowed, null));
    assertThat(first.get(1).list()).isEqualTo(Outcome.Allowed);
    assertThat(first.get(1).message())
        .startsWith("listed 4 of 10 granted prefixes")
        .contains("sampled");
    assertThat(first.get(2).list()).isNull();
    assertThat(first.get(2).message()).startsWith("not probed this time");

    // the next verification starts where this one stopped
    List<ProbeResult> next =
        prober.probe(
            endpoint, keys.accessKey(), keys.secretKey(), scopes, new ProbeBudget(16, later, 2));
    assertThat(next.get(2))
        .isEqualTo(new ProbeResult(buckets.get(2), Outcome.Allowed, Outcome.Allowed, null));
    assertThat(next.get(1).list()).isNull();

    // a deadline already passed: nothing is sent, everything is reported as not probed
    assertThat(
            prober.probe(
                endpoint,
                keys.accessKey(),
                keys.secretKey(),
                scopes,
                new ProbeBudget(64, java.time.Instant.now().minusSeconds(1), 0)))
        .allSatisfy(r -> assertThat(r.list()).isNull());
  }

  @Test
  void aProbeInterruptedBecauseTheOperatorStopsIsNotABucketFinding() throws Exception {
    String bucket = bucket("pr-interrupt-" + RUN, Map.of("k.txt", "v"));
    Keys keys =
        user("interrupt" + RUN, new ReadGrant(List.of(new BucketGrant(bucket, null)), null));

    Thread.currentThread().interrupt(); // as JOSDK's executor does on stop
    Throwable t;
    try {
      t =
          catchThrowable(
              () ->
                  prober.probe(
                      endpoint,
                      keys.accessKey(),
                      keys.secretKey(),
                      List.of(whole(bucket)),
                      ProbeBudget.standard()));
      assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(t).isInstanceOf(StorageException.class).hasMessageContaining("was interrupted");
    assertThat(((StorageException) t).isTransient()).isTrue();
  }

  @Test
  void zeroByteFirstObjectStillProvesReadAccess() throws Exception {
    String bucket = bucket("pr-zero-" + RUN, Map.of("a-empty", "", "b-data", "data"));
    Keys keys = user("zero" + RUN, new ReadGrant(List.of(new BucketGrant(bucket, null)), null));

    // what MinIO answers to bytes=0-0 of a zero-byte object
    Throwable raw =
        catchThrowable(
            () -> {
              try (InputStream in =
                  minio
                      .s3(keys.accessKey(), keys.secretKey())
                      .getObject(
                          GetObjectArgs.builder()
                              .bucket(bucket)
                              .object("a-empty")
                              .offset(0L)
                              .length(1L)
                              .build())) {
                in.readAllBytes();
              }
            });
    assertThat(raw).isInstanceOf(ErrorResponseException.class);
    assertThat(((ErrorResponseException) raw).errorResponse().code()).isEqualTo("InvalidRange");
    assertThat(((ErrorResponseException) raw).response().code()).isEqualTo(416);

    assertThat(
            prober.probe(
                endpoint,
                keys.accessKey(),
                keys.secretKey(),
                List.of(whole(bucket)),
                ProbeBudget.standard()))
        .containsExactly(new ProbeResult(bucket, Outcome.Allowed, Outcome.Allowed, null));
  }

  @Test
  void listOnlyPolicyListsButCannotRead() throws Exception {
    String bucket = bucket("pr-listonly-" + RUN, Map.of("k.txt", "v"));
    Keys keys =
        user(
            "listonly" + RUN,
            new ReadGrant(List.of(new BucketGrant(bucket, null)), List.of("s3:ListBucket")));

    assertThat(
            prober.probe(
                endpoint,
                keys.accessKey(),
                keys.secretKey(),
                List.of(whole(bucket)),
                ProbeBudget.standard()))
        .containsExactly(
            new ProbeResult(bucket, Outcome.Allowed, Outcome.Denied, "read denied: AccessDenied"));
    assertThat(contents(bucket)).containsExactly(Map.entry("k.txt", "v"));
  }

  @Test
  void wrongSecretIsRejectedWithoutRevealingTheSecret() throws Exception {
    String bucket = bucket("pr-wrong-" + RUN, Map.of("k.txt", "v"));
    Keys keys = user("wrong" + RUN, new ReadGrant(List.of(new BucketGrant(bucket, null)), null));
    String wrongSecret = "W" + MinioServer.randomSuffix() + MinioServer.randomSuffix();

    for (Throwable t :
        Arrays.asList(
            catchThrowable(
                () ->
                    prober.probe(
                        endpoint,
                        keys.accessKey(),
                        wrongSecret,
                        List.of(whole(bucket)),
                        ProbeBudget.standard())),
            catchThrowable(() -> prober.authenticate(endpoint, keys.accessKey(), wrongSecret)))) {
      assertRejected(t, keys.accessKey(), "SignatureDoesNotMatch");
      assertThat(t.getMessage()).doesNotContain(wrongSecret).doesNotContain(keys.secretKey());
    }
  }

  @Test
  void unknownAccessKeyIsRejected() {
    String ak = "nobody" + RUN;
    String sk = "S" + MinioServer.randomSuffix() + MinioServer.randomSuffix();

    assertRejected(
        catchThrowable(
            () ->
                prober.probe(
                    endpoint, ak, sk, List.of(whole("pr-any-" + RUN)), ProbeBudget.standard())),
        ak,
        "InvalidAccessKeyId");
    assertRejected(
        catchThrowable(() -> prober.authenticate(endpoint, ak, sk)), ak, "InvalidAccessKeyId");
  }

  @Test
  void disabledUserIsRejected() throws Exception {
    String bucket = bucket("pr-disabled-" + RUN, Map.of("k.txt", "v"));
    String name = "disabled" + RUN;
    admin.addCannedPolicy(
        name, PolicyDocument.render(new ReadGrant(List.of(new BucketGrant(bucket, null)), null)));
    String secret = "S" + MinioServer.randomSuffix() + MinioServer.randomSuffix();
    admin.addUser(name, UserInfo.Status.ENABLED, secret, null, null);
    admin.setPolicy(name, false, name);
    // the keys work while the user is enabled
    assertThat(prober.probe(endpoint, name, secret, List.of(whole(bucket)), ProbeBudget.standard()))
        .containsExactly(new ProbeResult(bucket, Outcome.Allowed, Outcome.Allowed, null));

    admin.addUser(name, UserInfo.Status.DISABLED, secret, null, null);
    assertThat(admin.getUserInfo(name).status()).isEqualTo(UserInfo.Status.DISABLED);

    assertRejected(
        catchThrowable(
            () ->
                prober.probe(
                    endpoint, name, secret, List.of(whole(bucket)), ProbeBudget.standard())),
        name,
        "InvalidAccessKeyId");
    assertRejected(
        catchThrowable(() -> prober.authenticate(endpoint, name, secret)),
        name,
        "InvalidAccessKeyId");
  }

  @Test
  void userWithoutAnyPolicyAuthenticatesButCanListNothing() throws Exception {
    String bucket = bucket("pr-nopolicy-" + RUN, Map.of("k.txt", "v"));
    String name = "nopolicy" + RUN;
    String secret = "S" + MinioServer.randomSuffix() + MinioServer.randomSuffix();
    admin.addUser(name, UserInfo.Status.ENABLED, secret, null, null);

    // what MinIO answers to ListBuckets of an authenticated user without permissions
    Throwable raw = catchThrowable(() -> minio.s3(name, secret).listBuckets());
    assertThat(raw).isInstanceOf(ErrorResponseException.class);
    assertThat(((ErrorResponseException) raw).errorResponse().code()).isEqualTo("AccessDenied");

    prober.authenticate(endpoint, name, secret); // does not throw

    assertThat(prober.probe(endpoint, name, secret, List.of(whole(bucket)), ProbeBudget.standard()))
        .containsExactly(
            new ProbeResult(bucket, Outcome.Denied, null, "list denied: AccessDenied"));
  }

  @Test
  void userWithAPolicyAuthenticates() throws Exception {
    String bucket = bucket("pr-auth-" + RUN, Map.of("k.txt", "v"));
    Keys keys = user("auth" + RUN, new ReadGrant(List.of(new BucketGrant(bucket, null)), null));

    prober.authenticate(endpoint, keys.accessKey(), keys.secretKey()); // does not throw
  }

  @Test
  void unreachableEndpointFailsFastAsTransient() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    StorageEndpoint dead =
        Endpoints.withTimeouts(
            Endpoints.of("127.0.0.1", port, false, "us-east-1"),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2));

    long start = System.nanoTime();
    Throwable probe =
        catchThrowable(
            () ->
                prober.probe(
                    dead, "ak", "sk", List.of(whole("pr-dead-" + RUN)), ProbeBudget.standard()));
    Throwable auth = catchThrowable(() -> prober.authenticate(dead, "ak", "sk"));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    for (Throwable t : Arrays.asList(probe, auth)) {
      assertThat(t).isInstanceOf(StorageException.class);
      StorageException e = (StorageException) t;
      assertThat(e.reason()).as("%s", e.getMessage()).isEqualTo(Reasons.ENDPOINT_UNREACHABLE);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.getMessage()).contains("127.0.0.1:" + port);
    }
    assertThat(took).isLessThan(Duration.ofSeconds(6));
  }

  @Test
  void tlsSpokenToAPlainPortIsATlsError() {
    StorageEndpoint tls =
        Endpoints.withTimeouts(
            Endpoints.of(minio.host(), minio.port(), true, "us-east-1"),
            Duration.ofSeconds(2),
            Duration.ofSeconds(3));

    for (Throwable t :
        Arrays.asList(
            catchThrowable(
                () ->
                    prober.probe(
                        tls, "ak", "sk", List.of(whole("pr-dead-" + RUN)), ProbeBudget.standard())),
            catchThrowable(() -> prober.authenticate(tls, "ak", "sk")))) {
      assertThat(t).isInstanceOf(StorageException.class);
      assertThat(((StorageException) t).reason()).isEqualTo(Reasons.TLS_ERROR);
      assertThat(((StorageException) t).isTransient()).isFalse();
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  private static void assertRejected(Throwable t, String accessKey, String code) {
    assertThat(t).isInstanceOf(StorageException.class);
    StorageException e = (StorageException) t;
    assertThat(e.reason()).as("%s", e.getMessage()).isEqualTo(Reasons.CREDENTIALS_REJECTED);
    assertThat(e.isTransient()).isFalse();
    assertThat(e.getMessage())
        .isEqualTo(
            "the issued credentials (access key \""
                + accessKey
                + "\") were rejected by "
                + endpoint.url()
                + ": "
                + code);
  }

  private static BucketScope whole(String bucket) {
    return new BucketScope(bucket, List.of());
  }

  private static Keys user(String name, ReadGrant grant) throws Exception {
    admin.addCannedPolicy(name, PolicyDocument.render(grant));
    String secret = "S" + MinioServer.randomSuffix() + MinioServer.randomSuffix();
    admin.addUser(name, UserInfo.Status.ENABLED, secret, null, null);
    admin.setPolicy(name, false, name);
    return new Keys(name, secret);
  }

  private static String bucket(String name, Map<String, String> objects) throws Exception {
    root.makeBucket(MakeBucketArgs.builder().bucket(name).build());
    for (Map.Entry<String, String> o : objects.entrySet()) {
      byte[] bytes = o.getValue().getBytes(StandardCharsets.UTF_8);
      root.putObject(
          PutObjectArgs.builder().bucket(name).object(o.getKey()).stream(
                  new ByteArrayInputStream(bytes), bytes.length, -1)
              .build());
    }
    return name;
  }

  /** Every object of the bucket and its content, read with the root keys. */
  private static Map<String, String> contents(String bucket) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (io.minio.Result<Item> r :
        root.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
      String key = r.get().objectName();
      try (InputStream in =
          root.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
        out.put(key, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
