package dev.integrations.s3.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.storage.minio.MinioAdmin.MinioUser;
import dev.integrations.s3.storage.minio.MinioAdminClientAdapter.BodyEncryption;
import dev.integrations.s3.testing.Endpoints;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.TestCa;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link MinioAdminClientAdapter} against a real MinIO: the behaviour its Javadoc promises. */
class MinioAdminClientAdapterIT {
  static MinioServer minio;
  static StorageEndpoint endpoint;
  static MinioAdmin admin;
  static MinioClient root;
  static final String RUN = MinioServer.randomSuffix();
  static String bucketA;
  static String bucketB;

  @BeforeAll
  static void server() throws Exception {
    minio = MinioServer.shared();
    endpoint = Endpoints.of(minio.host(), minio.port(), false, "us-east-1");
    admin = MinioAdminClientAdapter.connect(endpoint, minio.accessKey(), minio.secretKey());
    root = minio.rootS3();
    bucketA = bucket("adapter-a-" + RUN);
    bucketB = bucket("adapter-b-" + RUN);
  }

  @Test
  void theDefaultEncryptionIsPbkdf2() {
    assertThat(((MinioAdminClientAdapter) admin).bodyEncryption()).isEqualTo(BodyEncryption.PBKDF2);
  }

  /**
   * MinIO decrypts add-user and add-service-account bodies of either kind (madmin id 0x02 and 0x00)
   * and stores the secret keys they carry: the keys authenticate, a wrong key does not, a reset
   * replaces the key and keeps the policy.
   */
  @ParameterizedTest
  @EnumSource(BodyEncryption.class)
  void usersAndServiceAccountsCreatedWithEitherBodyEncryptionAuthenticate(BodyEncryption encryption)
      throws Exception {
    MinioAdmin a =
        MinioAdminClientAdapter.connect(endpoint, minio.accessKey(), minio.secretKey(), encryption);
    String user = "it-enc-" + encryption.name().toLowerCase() + "-" + MinioServer.randomSuffix();
    String policy = MinioNames.policyName(user);
    admin.putPolicy(policy, readPolicy(bucketA));
    String secret1 = secret();

    a.createUser(user, secret1);
    admin.attachPolicy(user, policy);
    assertThat(a.user(user)).contains(new MinioUser(user, true, List.of(policy)));
    assertThat(list(minio.s3(user, secret1), bucketA)).containsExactly("file.txt");
    assertThat(read(minio.s3(user, secret1), bucketA)).isEqualTo("content of " + bucketA);
    assertSignatureRefused(() -> list(minio.s3(user, secret1 + "x"), bucketA));
    assertSignatureRefused(() -> read(minio.s3(user, secret()), bucketA));

    // reset: the new key works, the old one no longer does, the policy stays
    String secret2 = secret();
    a.createUser(user, secret2);
    assertThat(a.user(user)).contains(new MinioUser(user, true, List.of(policy)));
    assertThat(read(minio.s3(user, secret2), bucketA)).isEqualTo("content of " + bucketA);
    assertSignatureRefused(() -> read(minio.s3(user, secret1), bucketA));

    // a service account of that user, made the same way
    String saKey = "s3i" + MinioServer.randomAlnum(17).toUpperCase();
    String saSecret = secret();
    a.createServiceAccount(
        user, saKey, saSecret, java.time.Instant.now().plus(java.time.Duration.ofDays(30)));
    assertThat(list(minio.s3(saKey, saSecret), bucketA)).containsExactly("file.txt");
    assertThat(read(minio.s3(saKey, saSecret), bucketA)).isEqualTo("content of " + bucketA);
    assertDenied(() -> read(minio.s3(saKey, saSecret), bucketB));
    assertSignatureRefused(() -> read(minio.s3(saKey, saSecret + "x"), bucketA));

    a.deleteServiceAccount(saKey);
    admin.detachAllPolicies(user);
    a.deleteUser(user);
    admin.deletePolicy(policy);
    assertThat(admin.user(user)).isEmpty();
  }

  /** The encrypted bodies over HTTPS, with the endpoint's own CA: the deployment PBKDF2 is for. */
  @Test
  void encryptedCallsWorkOverTls() throws Exception {
    MinioServer tls = MinioServer.startTls(TestCa.create("adapter-tls"));
    try {
      String bucket = "adapter-tls-" + RUN;
      MinioClient tlsRoot = tls.rootS3();
      tlsRoot.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
      for (BodyEncryption encryption : BodyEncryption.values()) {
        MinioAdmin a =
            MinioAdminClientAdapter.connect(
                tls.storageEndpoint(), tls.accessKey(), tls.secretKey(), encryption);
        String user = "it-tls-" + encryption.name().toLowerCase() + "-" + RUN;
        String policy = MinioNames.policyName(user);
        a.putPolicy(policy, readPolicy(bucket));
        String secret = secret();
        a.createUser(user, secret);
        a.attachPolicy(user, policy);
        assertThat(list(tls.s3(user, secret), bucket)).isEmpty();
        String saKey = "s3i" + MinioServer.randomAlnum(17).toUpperCase();
        String saSecret = secret();
        a.createServiceAccount(
            user, saKey, saSecret, java.time.Instant.now().plus(java.time.Duration.ofDays(1)));
        assertThat(list(tls.s3(saKey, saSecret), bucket)).isEmpty();
        assertSignatureRefused(() -> list(tls.s3(user, secret + "x"), bucket));
      }
    } finally {
      tls.stop();
    }
  }

  @Test
  void serviceAccountsGiveASecondValidKeyThatOutlivesAResetOfTheParentsKey() throws Exception {
    String user = "it-sa-" + MinioServer.randomSuffix();
    String policy = MinioNames.policyName(user);
    admin.putPolicy(policy, readPolicy(bucketA));
    String userSecret = secret();
    admin.createUser(user, userSecret);
    admin.attachPolicy(user, policy);
    String saKey = "s3i" + MinioServer.randomAlnum(17).toUpperCase();
    String saSecret = secret();
    java.time.Instant expiration = java.time.Instant.now().plus(java.time.Duration.ofDays(300));

    admin.createServiceAccount(user, saKey, saSecret, expiration);

    // both keys read, with the parent's policy; the service account cannot read beyond it
    assertThat(read(minio.s3(user, userSecret), bucketA)).isEqualTo("content of " + bucketA);
    assertThat(read(minio.s3(saKey, saSecret), bucketA)).isEqualTo("content of " + bucketA);
    assertDenied(() -> read(minio.s3(saKey, saSecret), bucketB));

    // a new key for the parent retires the parent's old key, not the service account
    String userSecret2 = secret();
    admin.createUser(user, userSecret2);
    assertRefused(() -> read(minio.s3(user, userSecret), bucketA));
    assertThat(read(minio.s3(saKey, saSecret), bucketA)).isEqualTo("content of " + bucketA);

    admin.deleteServiceAccount(saKey);
    assertRefused(() -> read(minio.s3(saKey, saSecret), bucketA));
    admin.deleteServiceAccount(saKey); // gone: still fine

    // deleting the parent takes its service accounts with it
    String saKey2 = "s3i" + MinioServer.randomAlnum(17).toUpperCase();
    String saSecret2 = secret();
    admin.createServiceAccount(user, saKey2, saSecret2, expiration);
    assertThat(read(minio.s3(saKey2, saSecret2), bucketA)).isEqualTo("content of " + bucketA);
    admin.deleteUser(user);
    assertRefused(() -> read(minio.s3(saKey2, saSecret2), bucketA));
    admin.deleteServiceAccount(saKey2);
    admin.deletePolicy(policy);
  }

  @Test
  void userLifecycle() throws Exception {
    String user = "it-user-" + MinioServer.randomSuffix();
    String policyA = MinioNames.policyName(user) + "-a";
    String policyB = MinioNames.policyName(user) + "-b";
    admin.putPolicy(policyA, readPolicy(bucketA));
    admin.putPolicy(policyB, readPolicy(bucketB));
    String secret1 = secret();

    assertThat(admin.user(user)).isEmpty();

    admin.createUser(user, secret1);
    assertThat(admin.user(user)).contains(new MinioUser(user, true, List.of()));
    assertDenied(() -> read(minio.s3(user, secret1), bucketA));

    admin.attachPolicy(user, policyA);
    assertThat(admin.user(user).orElseThrow().policies()).containsExactly(policyA);
    assertThat(read(minio.s3(user, secret1), bucketA)).isEqualTo("content of " + bucketA);

    // attach replaces the policy set
    admin.attachPolicy(user, policyB);
    assertThat(admin.user(user).orElseThrow().policies()).containsExactly(policyB);
    assertThat(read(minio.s3(user, secret1), bucketB)).isEqualTo("content of " + bucketB);
    assertDenied(() -> read(minio.s3(user, secret1), bucketA));

    admin.detachAllPolicies(user);
    assertThat(admin.user(user)).contains(new MinioUser(user, true, List.of()));
    assertDenied(() -> read(minio.s3(user, secret1), bucketB));
    admin.detachAllPolicies(user); // nothing attached: still fine
    assertThat(admin.user(user).orElseThrow().policies()).isEmpty();

    // re-adding (reset) replaces the secret but keeps the attached policy
    admin.attachPolicy(user, policyA);
    String secret2 = secret();
    admin.createUser(user, secret2);
    assertThat(admin.user(user)).contains(new MinioUser(user, true, List.of(policyA)));
    assertThat(read(minio.s3(user, secret2), bucketA)).isEqualTo("content of " + bucketA);
    assertThatThrownBy(() -> read(minio.s3(user, secret1), bucketA))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.errorResponse().code()).isEqualTo("SignatureDoesNotMatch"));

    admin.deleteUser(user);
    assertThat(admin.user(user)).isEmpty();
    assertThatThrownBy(() -> read(minio.s3(user, secret2), bucketA))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.errorResponse().code()).isEqualTo("InvalidAccessKeyId"));
    assertThatCode(() -> admin.deleteUser(user)).doesNotThrowAnyException();
    assertThatCode(() -> admin.detachAllPolicies(user)).doesNotThrowAnyException();
    assertThat(admin.user(user)).isEmpty();

    admin.deletePolicy(policyA);
    admin.deletePolicy(policyB);
  }

  @Test
  void policyLifecycle() {
    String name = MinioNames.policyName("it-policy-" + MinioServer.randomSuffix());
    String first = readPolicy(bucketA);
    String second =
        PolicyDocument.render(
            new ReadGrant(List.of(new BucketGrant(bucketB, List.of("docs/"))), null));

    assertThat(admin.policy(name)).isEmpty();

    admin.putPolicy(name, first);
    String stored = admin.policy(name).orElseThrow();
    assertThat(PolicyDocument.equivalent(first, stored)).as("stored: %s", stored).isTrue();

    admin.putPolicy(name, second);
    String changed = admin.policy(name).orElseThrow();
    assertThat(PolicyDocument.equivalent(second, changed)).as("stored: %s", changed).isTrue();
    assertThat(PolicyDocument.equivalent(first, changed)).isFalse();

    admin.deletePolicy(name);
    assertThat(admin.policy(name)).isEmpty();
    assertThatCode(() -> admin.deletePolicy(name)).doesNotThrowAnyException();
    assertThat(admin.policy(name)).isEmpty();
  }

  @Test
  void policyReadsOnlyTheNamedPolicy() {
    String a = MinioNames.policyName("it-one-" + MinioServer.randomSuffix());
    String b = a + "x";
    admin.putPolicy(a, readPolicy(bucketA));
    admin.putPolicy(b, readPolicy(bucketB));

    assertThat(PolicyDocument.equivalent(readPolicy(bucketA), admin.policy(a).orElseThrow()))
        .isTrue();
    assertThat(PolicyDocument.equivalent(readPolicy(bucketB), admin.policy(b).orElseThrow()))
        .isTrue();
    assertThat(admin.policy(a + "y")).isEmpty();

    admin.deletePolicy(a);
    admin.deletePolicy(b);
  }

  @Test
  void deletingAnAttachedPolicyIsRefusedAndChangesNothing() {
    String user = "it-attached-" + MinioServer.randomSuffix();
    String policy = MinioNames.policyName(user);
    admin.putPolicy(policy, readPolicy(bucketA));
    admin.createUser(user, secret());
    admin.attachPolicy(user, policy);

    StorageException e =
        catchThrowableOfType(StorageException.class, () -> admin.deletePolicy(policy));
    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(Reasons.STORAGE_ERROR);
    assertThat(e.isTransient()).isTrue();
    assertThat(e.getMessage())
        .contains(policy, "still attached", "XMinioIAMPolicyInUse")
        .contains(endpoint.url());
    assertThat(admin.policy(policy)).isPresent();
    assertThat(admin.user(user).orElseThrow().policies()).containsExactly(policy);

    admin.detachAllPolicies(user);
    admin.deletePolicy(policy);
    assertThat(admin.policy(policy)).isEmpty();
    admin.deleteUser(user);
  }

  @Test
  void sixtyFourCharacterUserNameWorksEndToEnd() throws Exception {
    String user = MinioNames.userName("", "ns-" + MinioServer.randomSuffix(), "r".repeat(80) + RUN);
    assertThat(user).hasSize(MinioNames.MAX_USER_NAME_LENGTH);
    String policy = MinioNames.policyName(user);
    String secret = secret();

    admin.putPolicy(policy, readPolicy(bucketA));
    admin.createUser(user, secret);
    admin.attachPolicy(user, policy);
    assertThat(admin.user(user)).contains(new MinioUser(user, true, List.of(policy)));

    MinioClient s3 = minio.s3(user, secret);
    assertThat(read(s3, bucketA)).isEqualTo("content of " + bucketA);

    admin.detachAllPolicies(user);
    admin.deleteUser(user);
    admin.deletePolicy(policy);
    assertThat(admin.user(user)).isEmpty();
    assertThat(admin.policy(policy)).isEmpty();
  }

  @Test
  void wrongAdminSecretIsAdminCredentialsInvalidWithoutTheSecret() {
    String wrong = "Wrong" + MinioServer.randomSuffix() + MinioServer.randomSuffix();
    MinioAdmin bad = MinioAdminClientAdapter.connect(endpoint, minio.accessKey(), wrong);

    for (StorageException e :
        List.of(
            thrown(() -> bad.user("someone")),
            thrown(() -> bad.policy("some-policy")), // own signed request
            thrown(() -> bad.detachAllPolicies("someone")), // own signed request
            thrown(() -> bad.putPolicy("p-" + RUN, readPolicy(bucketA))))) {
      assertThat(e.reason()).isEqualTo(Reasons.ADMIN_CREDENTIALS_INVALID);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.getMessage())
          .contains("\"" + minio.accessKey() + "\"", "SignatureDoesNotMatch", endpoint.url())
          .doesNotContain(wrong)
          .doesNotContain(minio.secretKey());
    }
    assertThat(admin.policy("p-" + RUN)).isEmpty();
  }

  @Test
  void unknownAdminAccessKeyIsAdminCredentialsInvalid() {
    String ak = "nobody-" + MinioServer.randomSuffix();
    String sk = "Secret" + MinioServer.randomSuffix() + MinioServer.randomSuffix();
    MinioAdmin bad = MinioAdminClientAdapter.connect(endpoint, ak, sk);

    StorageException e = thrown(() -> bad.user("someone"));
    assertThat(e.reason()).isEqualTo(Reasons.ADMIN_CREDENTIALS_INVALID);
    assertThat(e.isTransient()).isFalse();
    assertThat(e.getMessage()).contains("\"" + ak + "\"", "InvalidAccessKeyId").doesNotContain(sk);
  }

  @Test
  void nonAdminKeysAreAdminAccessDenied() {
    String user = "it-plain-" + MinioServer.randomSuffix();
    String secret = secret();
    String policy = MinioNames.policyName(user);
    admin.putPolicy(policy, readPolicy(bucketA));
    admin.createUser(user, secret);
    admin.attachPolicy(user, policy);
    MinioAdmin plain = MinioAdminClientAdapter.connect(endpoint, user, secret);

    for (StorageException e :
        List.of(
            thrown(() -> plain.policy(policy)),
            thrown(() -> plain.user("someone-else")),
            thrown(() -> plain.putPolicy(policy, readPolicy(bucketB))),
            thrown(() -> plain.createUser("it-sneaky-" + RUN, secret())))) {
      assertThat(e.reason()).isEqualTo(Reasons.ADMIN_ACCESS_DENIED);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.getMessage())
          .contains("\"" + user + "\"", "AccessDenied")
          .doesNotContain(secret);
    }
    assertThat(PolicyDocument.equivalent(readPolicy(bucketA), admin.policy(policy).orElseThrow()))
        .as("the denied putPolicy changed nothing")
        .isTrue();
    assertThat(admin.user("it-sneaky-" + RUN)).isEmpty();

    admin.detachAllPolicies(user);
    admin.deleteUser(user);
    admin.deletePolicy(policy);
  }

  @Test
  void unreachableEndpointFailsFastAsTransientEndpointUnreachable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    StorageEndpoint nowhere =
        Endpoints.withTimeouts(
            Endpoints.of("127.0.0.1", port, false, "us-east-1"),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5));
    MinioAdmin down = MinioAdminClientAdapter.connect(nowhere, "admin", "admin-secret-123");

    long start = System.nanoTime();
    List<StorageException> errors =
        List.of(thrown(() -> down.user("someone")), thrown(() -> down.policy("some-policy")));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    for (StorageException e : errors) {
      assertThat(e.reason()).isEqualTo(Reasons.ENDPOINT_UNREACHABLE);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.getMessage()).contains("127.0.0.1:" + port).doesNotContain("admin-secret-123");
    }
    assertThat(took).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void malformedPolicyDocumentsArePolicyRejected() {
    String name = MinioNames.policyName("it-bad-" + MinioServer.randomSuffix());
    String[] documents = {
      "{not json",
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":[\"s3:Frobnicate\"],\"Resource\":[\"arn:aws:s3:::x/*\"]}]}",
      "{\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::x/*\"]}]}",
      "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
    };
    for (String doc : documents) {
      StorageException e = thrown(() -> admin.putPolicy(name, doc));
      assertThat(e.reason()).as(doc).isEqualTo(Reasons.POLICY_REJECTED);
      assertThat(e.isTransient()).as(doc).isFalse();
      assertThat(e.getMessage()).as(doc).contains(name);
    }
    assertThat(admin.policy(name)).isEmpty();

    StorageException comma = thrown(() -> admin.putPolicy("a,b-" + RUN, readPolicy(bucketA)));
    assertThat(comma.reason()).isEqualTo(Reasons.POLICY_REJECTED);
  }

  @Test
  void userNamesMinioRefusesAreNotTransient() {
    for (String name : List.of("ab", "it=" + RUN)) {
      StorageException e = thrown(() -> admin.createUser(name, secret()));
      assertThat(e.reason()).as(name).isEqualTo(Reasons.STORAGE_ERROR);
      assertThat(e.isTransient()).as(name).isFalse();
      assertThat(e.getMessage()).as(name).contains("XMinioAdminInvalidAccessKey");
      assertThat(admin.user(name)).isEmpty();
    }
  }

  // ---- helpers ----

  private static String readPolicy(String bucket) {
    return PolicyDocument.render(new ReadGrant(List.of(new BucketGrant(bucket, null)), null));
  }

  private static String secret() {
    return "S" + MinioServer.randomSuffix() + MinioServer.randomSuffix();
  }

  private static String bucket(String name) throws Exception {
    root.makeBucket(MakeBucketArgs.builder().bucket(name).build());
    byte[] bytes = ("content of " + name).getBytes(StandardCharsets.UTF_8);
    root.putObject(
        PutObjectArgs.builder().bucket(name).object("file.txt").stream(
                new ByteArrayInputStream(bytes), bytes.length, -1)
            .build());
    return name;
  }

  private static String read(MinioClient c, String bucket) throws Exception {
    try (InputStream in =
        c.getObject(GetObjectArgs.builder().bucket(bucket).object("file.txt").build())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> list(MinioClient c, String bucket) throws Exception {
    List<String> names = new java.util.ArrayList<>();
    for (Result<Item> r : c.listObjects(ListObjectsArgs.builder().bucket(bucket).build())) {
      names.add(r.get().objectName());
    }
    return names;
  }

  private static void assertSignatureRefused(Call call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.errorResponse().code()).isEqualTo("SignatureDoesNotMatch"));
  }

  interface Call {
    Object run() throws Exception;
  }

  private static void assertDenied(Call call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.errorResponse().code()).isEqualTo("AccessDenied"));
  }

  /** The key is no longer valid: unknown, or its secret no longer matches. */
  private static void assertRefused(Call call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e ->
                assertThat(e.errorResponse().code())
                    .isIn("InvalidAccessKeyId", "SignatureDoesNotMatch"));
  }

  private static StorageException thrown(Runnable call) {
    StorageException e = catchThrowableOfType(StorageException.class, call::run);
    assertThat(e).as("expected a StorageException").isNotNull();
    return e;
  }
}
