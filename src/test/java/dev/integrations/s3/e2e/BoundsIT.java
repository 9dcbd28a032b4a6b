package dev.integrations.s3.e2e;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.AllowRule;
import dev.integrations.s3.api.v1alpha1.BucketAccess;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.api.v1alpha1.VerificationSpec;
import dev.integrations.s3.ownership.OwnershipRecordSecret;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.testing.Fixtures;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.minio.GetObjectArgs;
import io.minio.admin.MinioAdminClient;
import io.minio.admin.UserInfo;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every input the schema admits either works or is answered before the first write, on a real
 * kube-apiserver (its name, label and size rules) and MinIO: names at the API server's limits, an
 * IPv6 endpoint, intervals out of bounds, a user name that is the admin's, policies that are all
 * missing, do not grant the scope, or are larger than MinIO accepts, and messages that would list
 * hundreds of buckets.
 */
class BoundsIT {
  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;
  static MinioAdminClient rootAdmin;

  @BeforeAll
  static void start() {
    minio = MinioServer.shared();
    rootAdmin = minio.rootAdmin();
    client = KubeApiServer.shared().client();
    op = new OperatorHarness(client, true);
  }

  @AfterAll
  static void stop() {
    if (op != null) {
      op.close();
    }
  }

  /** A namespace with the admin Secret, the store and a policy for a bucket with one object. */
  private static String namespace(String prefix, String bucket) throws Exception {
    String ns = KubeApiServer.shared().createNamespace(prefix);
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    object(minio.rootS3(), bucket, "a.txt", "alpha");
    client.resource(policy(ns, "read", bucket)).create();
    return ns;
  }

  private static boolean userExists(String user) {
    try {
      rootAdmin.getUserInfo(user);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static List<Secret> records(String ns) {
    return client
        .secrets()
        .inNamespace(Fixtures.OPERATOR_NAMESPACE)
        .withLabel(OwnershipRecordSecret.LABEL)
        .list()
        .getItems()
        .stream()
        .filter(
            r ->
                ns.equals(
                    r.getMetadata()
                        .getAnnotations()
                        .getOrDefault(OwnershipRecordSecret.INTEGRATION_ANNOTATION, "")
                        .split("/")[0]))
        .toList();
  }

  private static String read(Secret s, String bucket) {
    String ak = ResolvedConfigSecret.value(s, ResolvedConfigSecret.ACCESS_KEY_ID).orElseThrow();
    String sk = ResolvedConfigSecret.value(s, ResolvedConfigSecret.SECRET_ACCESS_KEY).orElseThrow();
    try (InputStream in =
        minio
            .s3(ak, sk)
            .getObject(GetObjectArgs.builder().bucket(bucket).object("a.txt").build())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (Exception e) {
      return "denied";
    }
  }

  @Test
  void namesAtTheApiServersLimitsWork() throws Exception {
    String bucket = "bounds-names-" + MinioServer.randomSuffix();
    String ns = namespace("bounds-names", bucket);
    String long100 = "n".repeat(100);
    String long250 = "l".repeat(250);
    client.resource(managed(ns, long100, "minio", "read")).create();
    S3Integration scoped = managed(ns, long250, "minio", "read");
    scoped.getSpec().setBucket(bucket); // the other one applies to all buckets
    client.resource(scoped).create();

    op.awaitReady(ns, long100, "True", "Ready");
    op.awaitReady(ns, long250, "True", "Ready");

    Secret s100 = op.secret(ns, long100 + "-s3");
    assertThat(s100.getMetadata().getLabels().get(ResolvedConfigSecret.INTEGRATION_LABEL))
        .hasSize(63)
        .startsWith("nnnn");
    String name250 = op.integration(ns, long250).getStatus().getSecretName();
    assertThat(name250).hasSize(253).endsWith("-s3").startsWith("llll");
    Secret s250 = op.secret(ns, name250);
    assertThat(read(s100, bucket)).isEqualTo("alpha");
    assertThat(read(s250, bucket)).isEqualTo("alpha");
    assertThat(ResolvedConfigSecret.value(s250, ResolvedConfigSecret.ACCESS_KEY_ID).orElseThrow())
        .hasSize(64); // the MinIO user name, cut and hashed
  }

  @Test
  void anIpv6LiteralEndpointWorks() throws Exception {
    MinioServer v6 = MinioServer.startIpv6();
    try {
      String ns = KubeApiServer.shared().createNamespace("bounds-ipv6");
      String bucket = "ipv6-" + MinioServer.randomSuffix();
      object(v6.rootS3(), bucket, "a.txt", "alpha");
      client.resource(adminSecret(ns, "minio-admin", v6.accessKey(), v6.secretKey())).create();
      client.resource(store(ns, "minio", "::1", v6.port(), "minio-admin")).create();
      client.resource(policy(ns, "read", bucket)).create();
      client.resource(managed(ns, "viz", "minio", "read")).create();

      op.awaitReady(ns, "viz", "True", "Ready");
      assertThat(op.secretValue(ns, "viz-s3", ResolvedConfigSecret.ENDPOINT_URL))
          .isEqualTo("http://[::1]:" + v6.port());
    } finally {
      v6.stop();
    }
  }

  @Test
  void intervalsOutsideAMinuteToADayAreRefusedAtAdmission() throws Exception {
    String ns = KubeApiServer.shared().createNamespace("bounds-interval");
    for (String bad :
        List.of("1s", "59s", "25h", "2d", "9223372036854775807h", "40000000000000000s")) {
      S3Integration i = managed(ns, "viz", "minio", "read");
      VerificationSpec v = new VerificationSpec();
      v.setInterval(bad);
      i.getSpec().setVerification(v);
      assertThatThrownBy(() -> client.resource(i).create())
          .as(bad)
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("spec.verification.interval")
          .hasMessageContaining("between 1m and 24h");
    }
  }

  @Test
  void theAdminsOwnUserIsNeverTheManagedUser() throws Exception {
    String bucket = "bounds-admin-" + MinioServer.randomSuffix();
    String ns = namespace("bounds-admin", bucket);
    // a platform admin user whose name is what the integration's user would be
    String adminUser = ns + ".viz";
    String adminSecret = "S" + MinioServer.randomAlnum(30);
    rootAdmin.addUser(adminUser, UserInfo.Status.ENABLED, adminSecret, null, null);
    rootAdmin.setPolicy(adminUser, false, "consoleAdmin");
    client.resource(adminSecret(ns, "as-admin", adminUser, adminSecret)).create();
    S3Store s = store(ns, "as-admin", minio.host(), minio.port(), "as-admin");
    client.resource(s).create();

    client.resource(managed(ns, "viz", "as-admin", "read")).create();

    op.awaitReady(ns, "viz", "False", "InvalidSpec");
    assertThat(op.condition(ns, "viz", "Ready").orElseThrow().getMessage())
        .contains("would be the store's admin itself");
    assertThat(rootAdmin.getUserInfo(adminUser).policyName()).isEqualTo("consoleAdmin");
    assertThat(op.secret(ns, "viz-s3")).isNull();
    assertThat(records(ns)).isEmpty();
    assertThat(op.minioAdmin.count("createUser", adminUser)).isZero();
  }

  @Test
  void policiesThatAreAllMissingOrDoNotGrantTheScopeCreateNoUser() throws Exception {
    String bucket = "bounds-missing-" + MinioServer.randomSuffix();
    String ns = namespace("bounds-missing", bucket);
    client.resource(managed(ns, "nothing", "minio", "absent-1", "absent-2")).create();
    S3Integration scoped = managed(ns, "elsewhere", "minio", "read");
    scoped.getSpec().setBucket("not-granted-" + MinioServer.randomSuffix());
    client.resource(scoped).create();

    op.awaitReady(ns, "nothing", "False", "PolicyNotFound");
    assertThat(op.condition(ns, "nothing", "Ready").orElseThrow().getMessage())
        .contains("\"absent-1\", \"absent-2\"");
    op.awaitReady(ns, "elsewhere", "False", "InvalidSpec");
    assertThat(op.condition(ns, "elsewhere", "Ready").orElseThrow().getMessage())
        .contains("(the scope) is not granted by any referenced S3AccessPolicy");

    assertThat(userExists(ns + ".nothing")).isFalse();
    assertThat(userExists(ns + ".elsewhere")).isFalse();
    assertThat(records(ns)).isEmpty();
    assertThat(op.minioAdmin.count("createUser", ns + ".nothing")).isZero();
  }

  /**
   * Within the CRD's bounds (100 buckets, 1,000 prefixes of 10 characters) and still far beyond
   * MinIO's 20 KiB once rendered: the operator, not admission, refuses it.
   */
  static List<BucketAccess> huge(String prefix) {
    List<BucketAccess> buckets = new ArrayList<>();
    for (int b = 0; b < 100; b++) {
      List<String> prefixes = new ArrayList<>();
      for (int p = 0; p < 10; p++) {
        prefixes.add("studies/" + p + "/");
      }
      buckets.add(new BucketAccess(prefix + b, prefixes));
    }
    return buckets;
  }

  @Test
  void aPolicyLargerThanMinioAcceptsIsRefusedBeforeAnyWriteAndNeverKeepsABroaderGrant()
      throws Exception {
    String bucket = "bounds-size-" + MinioServer.randomSuffix();
    String second = "bounds-size2-" + MinioServer.randomSuffix();
    String ns = namespace("bounds-size", bucket);
    object(minio.rootS3(), second, "a.txt", "alpha");

    // new: refused before any write
    S3AccessPolicy big = policy(ns, "big", bucket);
    big.getSpec().setBuckets(huge("bounds-big-"));
    client.resource(big).create();
    client.resource(managed(ns, "new", "minio", "big")).create();
    op.awaitReady(ns, "new", "False", "PolicyTooLarge");
    assertThat(op.condition(ns, "new", "Ready").orElseThrow().getMessage())
        .containsPattern("would be \\d{5,} bytes")
        .contains("20480");
    assertThat(userExists(ns + ".new")).isFalse();
    assertThat(op.minioAdmin.count("createUser", ns + ".new")).isZero();

    // established: an edit that drops a bucket and grows past the limit takes the grant away
    S3AccessPolicy two = policy(ns, "two", bucket);
    two.getSpec()
        .setBuckets(List.of(new BucketAccess(bucket, null), new BucketAccess(second, null)));
    client.resource(two).create();
    S3Integration viz = managed(ns, "viz", "minio", "two");
    viz.getSpec().setBucket(bucket);
    client.resource(viz).create();
    op.awaitReady(ns, "viz", "True", "Ready");
    Secret keys = op.secret(ns, "viz-s3");
    assertThat(read(keys, second)).isEqualTo("alpha");

    client
        .resources(S3AccessPolicy.class)
        .inNamespace(ns)
        .withName("two")
        .edit(
            p -> {
              List<BucketAccess> grown = new ArrayList<>(huge("bounds-grown-"));
              grown.set(0, new BucketAccess(bucket, null)); // the second bucket is gone
              p.getSpec().setBuckets(grown);
              return p;
            });

    op.awaitReady(ns, "viz", "False", "PolicyTooLarge");
    await().atMost(Duration.ofSeconds(20)).until(() -> read(keys, second).equals("denied"));
    assertThat(read(keys, bucket)).as("nothing granted until the policy fits").isEqualTo("denied");
  }

  @Test
  void aMessageListingHundredsOfBucketsStaysShort() throws Exception {
    String ns = KubeApiServer.shared().createNamespace("bounds-message");
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    S3Store s = store(ns, "minio", minio.host(), minio.port(), "minio-admin");
    AllowRule rule = new AllowRule();
    rule.setBuckets(List.of("allowed-*"));
    s.getSpec().setAllow(List.of(rule));
    client.resource(s).create();
    S3AccessPolicy many = policy(ns, "many", "x-placeholder");
    List<BucketAccess> buckets = new ArrayList<>();
    for (int b = 0; b < 100; b++) {
      buckets.add(
          new BucketAccess("a-long-bucket-name-that-is-not-allowed-here-number-" + b, null));
    }
    many.getSpec().setBuckets(buckets);
    client.resource(many).create();
    client.resource(managed(ns, "viz", "minio", "many")).create();

    op.awaitReady(ns, "viz", "False", "BucketNotAllowed");
    S3Integration i = op.integration(ns, "viz");
    i.getStatus()
        .getConditions()
        .forEach(c -> assertThat(c.getMessage()).hasSizeLessThanOrEqualTo(1024));
    assertThat(op.condition(ns, "viz", "PolicyApplied").orElseThrow().getMessage())
        .contains("not-allowed-here-number-0")
        .containsPattern("… \\(\\d+ more characters\\)$");
  }
}
