package dev.integrations.s3.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.storage.minio.MinioAdminClientAdapter.BodyEncryption;
import dev.integrations.s3.testing.Endpoints;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers a real MinIO rarely gives on demand (server still starting, a proxy's HTML page, garbage
 * with status 200), served by a local HTTP stub, through both the library's and our own requests,
 * and what each body encryption sends.
 */
class MinioAdminClientAdapterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private HttpServer server;
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> body = new AtomicReference<>("{}");
  private final List<Received> requests = new CopyOnWriteArrayList<>();
  private MinioAdmin admin;
  private MinioAdmin argon2;

  record Received(
      String method, String path, String query, String contentSha256, String auth, byte[] body) {}

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          byte[] received = ex.getRequestBody().readAllBytes();
          requests.add(
              new Received(
                  ex.getRequestMethod(),
                  ex.getRequestURI().getRawPath(),
                  ex.getRequestURI().getRawQuery(),
                  ex.getRequestHeaders().getFirst("x-amz-content-sha256"),
                  ex.getRequestHeaders().getFirst("Authorization"),
                  received));
          byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status.get(), b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
    StorageEndpoint ep =
        Endpoints.of("127.0.0.1", server.getAddress().getPort(), false, "us-east-1");
    admin = MinioAdminClientAdapter.connect(ep, "admin-ak", "admin-sk-do-not-print");
    argon2 =
        MinioAdminClientAdapter.connect(
            ep, "admin-ak", "admin-sk-do-not-print", BodyEncryption.ARGON2ID);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void serverNotInitializedIsTransientStorageError() {
    answer(
        503,
        "{\"Code\":\"XMinioServerNotInitialized\",\"Message\":\"Server not initialized yet,"
            + " please try again.\"}");
    for (StorageException e :
        new StorageException[] {
          thrown(() -> admin.user("someone")), // library request
          thrown(() -> admin.policy("p")), // own signed request
          thrown(() -> admin.detachAllPolicies("someone"))
        }) {
      assertThat(e.reason()).isEqualTo(Reasons.STORAGE_ERROR);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.getMessage()).contains("XMinioServerNotInitialized");
    }
  }

  @Test
  void nonMinioErrorBodyIsNeverQuoted() {
    answer(502, "<html>Bad Gateway for request with secret=ECHOED-REQUEST-DATA</html>");
    StorageException lib = thrown(() -> admin.putPolicy("p", "{\"Version\":\"2012-10-17\"}"));
    StorageException own = thrown(() -> admin.policy("p"));
    for (StorageException e : new StorageException[] {lib, own}) {
      assertThat(e.reason()).isEqualTo(Reasons.STORAGE_ERROR);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.getMessage())
          .contains("not a MinIO error response")
          .doesNotContain("ECHOED-REQUEST-DATA")
          .doesNotContain("admin-sk-do-not-print");
    }
    assertThat(own.getMessage()).contains("HTTP 502");
  }

  @Test
  void unparseableSuccessIsAServerErrorNotAnUnreachableEndpoint() {
    answer(200, "this is not json ECHOED");
    for (StorageException e :
        new StorageException[] {thrown(() -> admin.user("u")), thrown(() -> admin.policy("p"))}) {
      assertThat(e.reason()).isEqualTo(Reasons.STORAGE_ERROR);
      assertThat(e.getMessage()).doesNotContain("ECHOED");
    }
  }

  /** A 200 with any JSON is not MinIO's answer: a store on it is never AdminReady. */
  @Test
  void anyJsonIsNotAUser() {
    for (String json : new String[] {"{}", "{\"ok\":true}", "{\"policyName\":\"consoleAdmin\"}"}) {
      answer(200, json);
      StorageException e = thrown(() -> admin.user("admin-ak"));
      assertThat(e.reason()).as(json).isEqualTo(Reasons.STORAGE_ERROR);
      assertThat(e.getMessage()).contains("not MinIO's user info");
    }
    answer(200, "{\"status\":\"enabled\",\"policyName\":\"readonly\"}");
    assertThat(admin.user("u")).hasValueSatisfying(u -> assertThat(u.enabled()).isTrue());
  }

  @Test
  void errorMessagesAreBoundedAndSingleLine() {
    answer(
        500, "{\"Code\":\"InternalError\",\"Message\":\"line1\\nline2" + "x".repeat(1000) + "\"}");
    StorageException e = thrown(() -> admin.user("u"));
    assertThat(e.getMessage()).contains("InternalError: line1 line2").doesNotContain("\n");
    assertThat(e.getMessage().length()).isLessThan(500);
  }

  /** An endpoint's "Code" of no code's shape is not passed on (issue 21, item 11). */
  @Test
  void aCodeOfNoCodesShapeIsNeverQuoted() {
    answer(
        400,
        "{\"Code\":\"AccessDenied\\nFORGED LOG LINE <script>"
            + "x".repeat(100_000)
            + "\",\"Message\":\"m\"}");
    StorageException e = thrown(() -> admin.user("u"));
    assertThat(e.getMessage())
        .contains("not a MinIO error response")
        .doesNotContain("FORGED")
        .doesNotContain("\n");
    assertThat(e.getMessage().length()).isLessThan(300);
  }

  @Test
  void pbkdf2IsTheDefault() {
    assertThat(((MinioAdminClientAdapter) admin).bodyEncryption()).isEqualTo(BodyEncryption.PBKDF2);
    assertThat(MinioAdminClientAdapter.DEFAULT_BODY_ENCRYPTION).isEqualTo(BodyEncryption.PBKDF2);
  }

  @Test
  void createUserSendsMadminsAddOrUpdateUserReqEncryptedWithPbkdf2() throws Exception {
    answer(200, "");
    admin.createUser("app-user_1", "the-user-secret");

    Received r = only();
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.path()).isEqualTo("/minio/admin/v3/add-user");
    assertThat(r.query()).isEqualTo("accessKey=app-user_1");
    assertSigned(r);
    assertThat(r.body()[32]).as("madmin algorithm id").isEqualTo((byte) 0x02);
    assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).doesNotContain("the-user-secret");
    JsonNode sent = JSON.readTree(MadminCrypto.decrypt("admin-sk-do-not-print", r.body()));
    assertThat(sent)
        .isEqualTo(JSON.readTree("{\"secretKey\":\"the-user-secret\",\"status\":\"enabled\"}"));
  }

  @Test
  void createServiceAccountSendsMadminsAddServiceAccountReqEncryptedWithPbkdf2() throws Exception {
    // MinIO answers with the credentials, Argon2id-encrypted: not decrypted, so not even parsed
    answer(200, "Argon2id-encrypted credentials");
    admin.createServiceAccount(
        "parent-user", "SAKEY123", "sa-secret", Instant.parse("2030-01-02T03:04:05.678Z"));

    Received r = only();
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.path()).isEqualTo("/minio/admin/v3/add-service-account");
    assertThat(r.query()).isNull();
    assertSigned(r);
    assertThat(r.body()[32]).isEqualTo((byte) 0x02);
    JsonNode sent = JSON.readTree(MadminCrypto.decrypt("admin-sk-do-not-print", r.body()));
    assertThat(sent)
        .isEqualTo(
            JSON.readTree(
                "{\"accessKey\":\"SAKEY123\",\"secretKey\":\"sa-secret\","
                    + "\"targetUser\":\"parent-user\","
                    + "\"description\":\"s3-integration-operator: consumer key of parent-user\","
                    + "\"expiration\":\"2030-01-02T03:04:05.678Z\"}"));
  }

  @Test
  void argon2idSendsMadminsDefaultVariantThroughTheSameSignedRequest() throws Exception {
    answer(200, "");
    argon2.createUser("app-user_1", "the-user-secret");

    Received r = only();
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.path()).isEqualTo("/minio/admin/v3/add-user");
    assertThat(r.query()).isEqualTo("accessKey=app-user_1");
    assertSigned(r);
    assertThat(r.body()[32]).as("madmin algorithm id: Argon2id, AES-GCM").isEqualTo((byte) 0x00);
    JsonNode sent = JSON.readTree(MadminCrypto.decrypt("admin-sk-do-not-print", r.body()));
    assertThat(sent)
        .isEqualTo(JSON.readTree("{\"secretKey\":\"the-user-secret\",\"status\":\"enabled\"}"));
  }

  /**
   * A MinIO that takes its time (or a stalled proxy) holds no Argon2id permit: the permit covers
   * the derivation, not the request. Before, the permits were held for the whole call, so two
   * stalled add-user requests stopped every other user creation of the process.
   */
  @Test
  void aStalledServerHoldsNoArgon2Permit() throws Exception {
    Argon2Gate gate = new Argon2Gate(1);
    CountDownLatch arrived = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    HttpServer stalled =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stalled.setExecutor(Executors.newCachedThreadPool());
    stalled.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          arrived.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    stalled.start();
    MinioAdmin slow =
        MinioAdminClientAdapter.connect(
            Endpoints.of("127.0.0.1", stalled.getAddress().getPort(), false, "us-east-1"),
            "admin-ak",
            "admin-sk-do-not-print",
            BodyEncryption.ARGON2ID,
            gate);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String user = "stalled-" + i;
      Thread t = new Thread(() -> slow.createUser(user, "the-user-secret"));
      threads.add(t);
      t.start();
    }
    try {
      assertThat(arrived.await(30, TimeUnit.SECONDS))
          .as("two stalled add-user requests reached the server through a gate of one permit")
          .isTrue();
      assertThat(gate.available()).as("the permit is free while both wait").isEqualTo(1);
    } finally {
      release.countDown();
      for (Thread t : threads) {
        t.join(30_000);
      }
      stalled.stop(0);
    }
  }

  /** Same reason, transience and MinIO detail whichever variant encrypts the body. */
  @Test
  void encryptedCallsMapErrorsAlikeWithEitherEncryption() {
    String[][] answers = {
      {"503", "{\"Code\":\"XMinioServerNotInitialized\",\"Message\":\"not yet\"}"},
      {"403", "{\"Code\":\"AccessDenied\",\"Message\":\"Access Denied.\"}"},
      {"403", "{\"Code\":\"SignatureDoesNotMatch\",\"Message\":\"bad signature\"}"},
      {"400", "{\"Code\":\"XMinioAdminInvalidAccessKey\",\"Message\":\"bad name\"}"},
      {"400", "{\"Code\":\"XMinioAdminConfigBadJSON\",\"Message\":\"cannot decrypt\"}"},
      {"502", "<html>Bad Gateway ECHOED-REQUEST-DATA</html>"},
    };
    Instant exp = Instant.now().plusSeconds(3600);
    for (String[] a : answers) {
      answer(Integer.parseInt(a[0]), a[1]);
      assertSameMapping(
          a,
          thrown(() -> admin.createUser("u-1", "user-secret-ZZ")),
          thrown(() -> argon2.createUser("u-1", "user-secret-ZZ")));
      assertSameMapping(
          a,
          thrown(() -> admin.createServiceAccount("p", "SA1", "user-secret-ZZ", exp)),
          thrown(() -> argon2.createServiceAccount("p", "SA1", "user-secret-ZZ", exp)));
    }
  }

  // ---- RustFS: S3-style XML errors (docs/backends/rustfs.md) ----

  private static String xml(String code, String message) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
        + code
        + "</Code><Message>"
        + message
        + "</Message></Error>";
  }

  /** RustFS's NoSuchResource on user-info, remove-user, info-canned-policy: absent, as on MinIO. */
  @Test
  void rustfsNoSuchResourceMeansAbsent() {
    answer(404, xml("NoSuchResource", "user &apos;u&apos; does not exist"));
    assertThat(admin.user("u")).isEmpty(); // library request
    admin.deleteUser("u");
    answer(404, xml("NoSuchResource", "policy does not exist"));
    assertThat(admin.policy("p")).isEmpty(); // own signed request
  }

  /** A missing service account is "already gone" only with RustFS's exact message. */
  @Test
  void rustfsMissingServiceAccountIsGoneOnlyWithItsExactMessage() {
    answer(400, xml("InvalidRequest", "service account not exist"));
    admin.deleteServiceAccount("SAKEY123");
    for (String other :
        new String[] {"failed to decrypt MinIO admin payload", "service account not exist!", ""}) {
      answer(400, xml("InvalidRequest", other));
      StorageException e = thrown(() -> admin.deleteServiceAccount("SAKEY123"));
      assertThat(e.reason()).as(other).isEqualTo(Reasons.STORAGE_ERROR);
      assertThat(e.getMessage()).as(other).contains("InvalidRequest");
    }
    answer(404, xml("NoSuchResource", "service account not exist"));
    assertThat(thrown(() -> admin.deleteServiceAccount("SAKEY123")).getMessage())
        .contains("NoSuchResource");
  }

  /**
   * set-user-or-group-policy with an empty name for a missing user: RustFS's 400 "user not found".
   */
  @Test
  void rustfsDetachOfAMissingUserSucceedsOnlyWithItsExactMessage() {
    answer(400, xml("InvalidArgument", "user not found"));
    admin.detachAllPolicies("u");
    answer(400, xml("InvalidArgument", "cannot set a policy for the system user"));
    StorageException e = thrown(() -> admin.detachAllPolicies("u"));
    assertThat(e.getMessage()).contains("InvalidArgument: cannot set a policy for the system user");
  }

  /** RustFS's 500 "policy in use" is MinIO's XMinioIAMPolicyInUse; any other 500 is not. */
  @Test
  void rustfsPolicyInUseIsTheTransientStillAttachedError() {
    answer(500, xml("InternalError", "policy in use"));
    StorageException e = thrown(() -> admin.deletePolicy("p"));
    assertThat(e.reason()).isEqualTo(Reasons.STORAGE_ERROR);
    assertThat(e.isTransient()).isTrue();
    assertThat(e.getMessage()).contains("\"p\"", "still attached", "InternalError: policy in use");

    answer(500, xml("InternalError", "disk full"));
    StorageException other = thrown(() -> admin.deletePolicy("p"));
    assertThat(other.isTransient()).isTrue();
    assertThat(other.getMessage()).doesNotContain("still attached").contains("disk full");
  }

  @Test
  void rustfsRejectedPoliciesArePolicyRejected() {
    String[][] answers = {
      {"400", xml("InvalidRequest", "io error: key must be a string at line 1 column 2")},
      {"400", xml("InvalidArgument", "policy version is required")},
      {"500", xml("InternalError", "invalid arguments specified")},
    };
    for (String[] a : answers) {
      answer(Integer.parseInt(a[0]), a[1]);
      StorageException e = thrown(() -> admin.putPolicy("p", "{}"));
      assertThat(e.reason()).as(a[1]).isEqualTo(Reasons.POLICY_REJECTED);
      assertThat(e.isTransient()).as(a[1]).isFalse();
    }
    // only on add-canned-policy: elsewhere these codes keep the generic mapping
    answer(500, xml("InternalError", "invalid arguments specified"));
    assertThat(thrown(() -> admin.deletePolicy("p")).reason()).isEqualTo(Reasons.STORAGE_ERROR);
  }

  @Test
  void rustfsRefusedUserNamesAreNotTransient() {
    for (String m :
        new String[] {
          "failed to create user: invalid access key length",
          "failed to create user: access key contains reserved characters =,"
        }) {
      answer(500, xml("InternalError", m));
      StorageException e = thrown(() -> admin.createUser("ab", "user-secret-ZZ"));
      assertThat(e.reason()).as(m).isEqualTo(Reasons.STORAGE_ERROR);
      assertThat(e.isTransient()).as(m).isFalse();
      assertThat(e.getMessage()).contains("refused", m).doesNotContain("user-secret-ZZ");
    }
    answer(500, xml("InternalError", "failed to create user: io error"));
    assertThat(thrown(() -> admin.createUser("ab", "user-secret-ZZ")).isTransient()).isTrue();
  }

  /** Credentials and rights errors read from XML map exactly as from MinIO's JSON. */
  @Test
  void xmlAndJsonErrorsMapAlike() {
    String[][] codes = {
      {"403", "SignatureDoesNotMatch", "The request signature we calculated does not match"},
      {"403", "InvalidAccessKeyId", "The Access Key Id you provided does not exist"},
      {"403", "AccessDenied", "Access Denied"},
      {"503", "XMinioServerNotInitialized", "not yet"},
    };
    for (String[] c : codes) {
      int st = Integer.parseInt(c[0]);
      answer(st, "{\"Code\":\"" + c[1] + "\",\"Message\":\"" + c[2] + "\"}");
      StorageException[] fromJson = {
        thrown(() -> admin.user("u")), thrown(() -> admin.policy("p"))
      };
      answer(st, xml(c[1], c[2]));
      StorageException[] fromXml = {thrown(() -> admin.user("u")), thrown(() -> admin.policy("p"))};
      for (int i = 0; i < 2; i++) {
        assertThat(fromXml[i].reason()).as(c[1]).isEqualTo(fromJson[i].reason());
        assertThat(fromXml[i].isTransient()).as(c[1]).isEqualTo(fromJson[i].isTransient());
        assertThat(fromXml[i].getMessage()).as(c[1]).isEqualTo(fromJson[i].getMessage());
      }
    }
  }

  @Test
  void xmlTextDecodesOnlyPredefinedEntitiesAndPrintableCharacterReferences() {
    answer(
        500,
        xml(
            "InternalError",
            "a &lt;b&gt; &amp; &quot;c&quot; &#65;&#x42; &#10;&#0; &xxe; &amp;lt;"));
    assertThat(thrown(() -> admin.user("u")).getMessage())
        .contains("InternalError: a <b> & \"c\" AB &#10;&#0; &xxe; &lt;")
        .doesNotContain("\n");
  }

  /**
   * Markup the adapter does not take (DOCTYPE and entities, nesting, comments, CDATA, attributes, a
   * second Code, a body over 64 KiB) is "not an error response": never expanded, never quoted,
   * never read as "absent".
   */
  @Test
  void hostileXmlIsNeverExpandedQuotedOrTakenAsAbsent() {
    String laughs =
        "<!DOCTYPE Error [<!ENTITY a \"ECHOED-ENTITY\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
            + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>";
    String[] bodies = {
      "<?xml version=\"1.0\"?>" + laughs + xml("NoSuchResource", "&c;").substring(38),
      laughs + "<Error><Code>NoSuchResource</Code><Message>&c;</Message></Error>",
      "<!DOCTYPE Error [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
          + "<Error><Code>NoSuchResource</Code><Message>&x;</Message></Error>",
      "<Error><Code><Code>NoSuchResource</Code></Code><Message>ECHOED</Message></Error>",
      "<Error><Wrap><Code>NoSuchResource</Code></Wrap></Error>",
      "<Error><!-- ECHOED --><Code>NoSuchResource</Code></Error>",
      "<Error><Code><![CDATA[NoSuchResource]]></Code></Error>",
      "<Error xmlns=\"ECHOED\"><Code>NoSuchResource</Code></Error>",
      "<Error><Code attr=\"1\">NoSuchResource</Code></Error>",
      "<Error><Code>AccessDenied</Code><Code>NoSuchResource</Code></Error>",
      "<Error><Code>NoSuchResource</Code><Message>ECHOED</Message></Error>trailing",
      "<Error><Code>NoSuchResource</Code><Message>"
          + "ECHOED".repeat(20_000)
          + "</Message></Error>",
      "<Error>" + "<Error>".repeat(10_000) + "<Code>NoSuchResource</Code></Error>",
      "<Error><Code>NoSuchResource\nFORGED</Code><Message>ECHOED</Message></Error>",
      "<Error><Code>" + "N".repeat(100) + "</Code><Message>ECHOED</Message></Error>",
      "<Error><Message>ECHOED</Message></Error>",
    };
    for (String b : bodies) {
      answer(404, b);
      String shown = b.length() > 80 ? b.substring(0, 80) + "…" : b;
      for (StorageException e :
          new StorageException[] {thrown(() -> admin.user("u")), thrown(() -> admin.policy("p"))}) {
        assertThat(e.reason()).as(shown).isEqualTo(Reasons.STORAGE_ERROR);
        assertThat(e.getMessage())
            .as(shown)
            .contains("not a MinIO error response")
            .doesNotContain("ECHOED")
            .doesNotContain("passwd")
            .doesNotContain("FORGED")
            .doesNotContain("\n");
        assertThat(e.getMessage().length()).as(shown).isLessThan(300);
      }
      assertThat(thrown(() -> admin.deleteUser("u")).getMessage()).as(shown).contains("not a");
    }
  }

  @Test
  void longXmlMessagesAreBoundedAndSingleLine() {
    answer(500, xml("InternalError", "line1\nline2" + "x".repeat(10_000)));
    StorageException e = thrown(() -> admin.policy("p"));
    assertThat(e.getMessage()).contains("InternalError: line1 line2").doesNotContain("\n");
    assertThat(e.getMessage().length()).isLessThan(500);
  }

  /** RustFS answers info-canned-policy?v=2 with {"policy_name":..,"policy":{..}}. */
  @Test
  void rustfsPolicyAnswerYieldsTheDocument() throws Exception {
    String doc =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::b/*\"]}]}";
    answer(200, "{\"policy_name\":\"p\",\"policy\":" + doc + "}");
    assertThat(JSON.readTree(admin.policy("p").orElseThrow())).isEqualTo(JSON.readTree(doc));
    answer(200, "{\"PolicyName\":\"p\",\"Policy\":" + doc + "}");
    assertThat(JSON.readTree(admin.policy("p").orElseThrow())).isEqualTo(JSON.readTree(doc));
    answer(200, doc);
    assertThat(JSON.readTree(admin.policy("p").orElseThrow())).isEqualTo(JSON.readTree(doc));
  }

  private static void assertSameMapping(
      String[] answer, StorageException ours, StorageException lib) {
    assertThat(ours.reason()).as(answer[1]).isEqualTo(lib.reason());
    assertThat(ours.isTransient()).as(answer[1]).isEqualTo(lib.isTransient());
    assertThat(ours.getMessage()).as(answer[1]).isEqualTo(lib.getMessage());
    assertThat(ours.getMessage())
        .doesNotContain("ECHOED-REQUEST-DATA")
        .doesNotContain("admin-sk-do-not-print")
        .doesNotContain("user-secret-ZZ");
  }

  private Received only() {
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  private static void assertSigned(Received r) throws Exception {
    assertThat(r.contentSha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body())));
    assertThat(r.auth())
        .startsWith("AWS4-HMAC-SHA256 Credential=admin-ak/")
        .contains("x-amz-content-sha256");
  }

  private void answer(int code, String text) {
    status.set(code);
    body.set(text);
  }

  private static StorageException thrown(Runnable call) {
    StorageException e = catchThrowableOfType(StorageException.class, call::run);
    assertThat(e).as("expected a StorageException").isNotNull();
    return e;
  }
}
