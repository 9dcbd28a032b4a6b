package dev.integrations.s3.storage.minio;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.integrations.s3.secret.AccessKeys;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.ErrorCodes;
import dev.integrations.s3.storage.HttpClients;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.StorageException;
import io.minio.Digest;
import io.minio.S3Escaper;
import io.minio.Signer;
import io.minio.Time;
import io.minio.admin.MinioAdminClient;
import io.minio.admin.UserInfo;
import io.minio.http.HttpUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.bouncycastle.crypto.InvalidCipherTextException;

/**
 * {@link MinioAdmin} on top of minio-java's {@link MinioAdminClient}, plus two signed requests the
 * library lacks (reading one policy, removing a user's policy mapping).
 *
 * <h2>Error mapping</h2>
 *
 * minio-admin answers every non-2xx response with {@code RuntimeException("Request failed with
 * response: " + body)}, where the body is MinIO's JSON error {@code {"Code":..,"Message":..}} (or
 * RustFS's XML one, below). We parse Code and Message (never pass on the raw body) and map:
 *
 * <ul>
 *   <li>{@code InvalidAccessKeyId}, {@code SignatureDoesNotMatch} → {@link
 *       StorageException#adminCredentialsInvalid} (names the admin access key, never the secret);
 *   <li>{@code AccessDenied} → {@link StorageException#adminAccessDenied};
 *   <li>{@code XMinioMalformedIAMPolicy} (bad JSON, unknown action, …), {@code MalformedPolicy} (no
 *       Version), {@code XMinioMalformedJSON}, {@code PolicyInvalidName}, {@code EntityTooLarge},
 *       {@code PolicyTooLarge}, and for {@link #putPolicy} also {@code XMinioAdminInvalidArgument}
 *       (e.g. an empty Statement list) → {@link StorageException#policyRejected};
 *   <li>{@code XMinioAdminNoSuchUser}: {@link #user} is empty, {@link #deleteUser} and {@link
 *       #detachAllPolicies} succeed; {@code XMinioAdminNoSuchPolicy}: {@link #policy} is empty
 *       ({@code remove-canned-policy} of a missing policy already succeeds on the server);
 *   <li>requests MinIO will refuse again whatever the timing ({@code XMinioAdminInvalidAccessKey},
 *       {@code XMinioAdminInvalidSecretKey}, {@code XMinioIAMActionNotAllowed} (e.g. a policy for
 *       the root user), {@code XMinioAdminInvalidRequest} (e.g. a comma in a policy name to read))
 *       → reason {@code StorageError}, not transient;
 *   <li>everything else, including {@code XMinioServerNotInitialized} (503 while the server starts)
 *       and {@code XMinioIAMPolicyInUse} → {@link StorageException#serverError}, transient;
 *   <li>{@link IOException} → {@link HttpClients#classify}; an answer we cannot parse and the
 *       library's crypto exceptions → {@link StorageException#serverError}.
 * </ul>
 *
 * <h3>RustFS</h3>
 *
 * RustFS serves the same API at the same path but answers errors as S3's XML ({@code
 * <Error><Code>..</Code><Message>..</Message></Error>}, read by {@link XmlError} without an XML
 * parser) with S3's generic codes. The codes above that it shares with MinIO ({@code
 * InvalidAccessKeyId}, {@code SignatureDoesNotMatch}, {@code AccessDenied}) map the same. Its
 * generic codes are mapped only where the call, or the call and the exact message, leave no doubt
 * (measured on RustFS 1.0.1, docs/backends/rustfs.md):
 *
 * <ul>
 *   <li>{@code NoSuchResource} (404) on {@code user-info}, {@code remove-user}: the user is absent;
 *       on {@code info-canned-policy}: the policy is absent (unknown routes answer 501 {@code
 *       NotImplemented}, not 404);
 *   <li>{@code InvalidRequest} "service account not exist" on {@code delete-service-account}:
 *       already gone (any other {@code InvalidRequest} is not);
 *   <li>{@code InvalidArgument} "user not found" on the empty-name {@code set-user-or-group-policy}
 *       of {@link #detachAllPolicies}: success, like {@code XMinioAdminNoSuchUser};
 *   <li>{@code InternalError} (500) "policy in use" on {@code remove-canned-policy}: the transient
 *       "still attached" error of {@code XMinioIAMPolicyInUse};
 *   <li>{@code InvalidRequest}, {@code InvalidArgument} and {@code InternalError} "invalid
 *       arguments specified" on {@code add-canned-policy} → {@link
 *       StorageException#policyRejected};
 *   <li>{@code InternalError} "failed to create user: invalid access key length" (or "invalid
 *       secret key length", "access key contains reserved characters") on {@code add-user} →
 *       refused, not transient, like {@code XMinioAdminInvalidAccessKey}.
 * </ul>
 *
 * Any other RustFS answer takes the generic path above (a transient {@code StorageError} quoting
 * the code and the bounded message).
 *
 * <h2>Server behaviour this relies on (checked against MinIO in the integration test)</h2>
 *
 * <ul>
 *   <li>{@link #createUser} on an existing user replaces its secret key and status but <b>keeps</b>
 *       its attached policies: the policy mapping is stored apart from the identity.
 *   <li>{@link #attachPolicy} ({@code set-user-or-group-policy}) <b>replaces</b> the user's policy
 *       set.
 *   <li>{@link #detachAllPolicies} sends {@code set-user-or-group-policy} with an empty {@code
 *       policyName}, which MinIO treats as "remove the mapping" (the library refuses an empty name,
 *       so this is a signed request of our own).
 *   <li>{@link #deletePolicy} of a policy still attached to a user or group is <b>refused</b> with
 *       {@code XMinioIAMPolicyInUse} (400) and the policy stays; callers detach first. We report it
 *       as a transient {@code StorageError} naming the policy.
 * </ul>
 *
 * <h2>Encrypted bodies ({@link BodyEncryption})</h2>
 *
 * MinIO wants the bodies of {@code add-user} and {@code add-service-account} encrypted with
 * madmin's format under a key derived from the sending admin's secret key ({@link MadminCrypto});
 * its decryption accepts any of madmin's algorithm ids. Both variants are sent as our own signed
 * requests. {@link BodyEncryption#PBKDF2} (the default) uses madmin's PBKDF2-SHA256 variant (id
 * {@code 0x02}, what MinIO's FIPS builds send): a few milliseconds and kilobytes per call on each
 * side, so no bound on concurrency. {@link BodyEncryption#ARGON2ID} uses id {@code 0x00} (what
 * madmin-go and minio-admin send: 64 MiB of Argon2id per call on each side, 0.1 to 0.25 s of CPU
 * here); the derivation, and only it, runs under {@link Argon2Gate}, so a slow server never holds a
 * permit. {@code add-service-account} does not decrypt MinIO's answer (the credentials it echoes
 * are the ones we chose), so the only Argon2id left on that path is the server's encryption of that
 * answer.
 *
 * <p>Cost: every other call is one plain signed request. {@link #policy} reads exactly one policy
 * ({@code info-canned-policy?v=2}), not the whole list.
 *
 * <p>Secrets: the admin secret key is held only to sign requests; it is never part of a message,
 * log line or {@code toString}.
 */
public final class MinioAdminClientAdapter implements MinioAdmin {

  /**
   * How the bodies of {@code add-user} and {@code add-service-account} are encrypted: see the class
   * comment. Both protect the body with the admin's secret key; they differ in what a guess of that
   * key costs an attacker holding a captured body, and in what each call costs us and MinIO.
   */
  public enum BodyEncryption {
    /**
     * madmin's PBKDF2-HMAC-SHA256 (8192 iterations) + AES-256-GCM, sent by our own signed requests:
     * cheap for both sides. Sound when the admin secret key is random (e.g. 40 generated
     * characters) and the endpoint speaks TLS.
     */
    PBKDF2,
    /**
     * madmin's Argon2id (64 MiB) + AES-256-GCM, the derivation bounded by {@link Argon2Gate}:
     * memory-hard, for an admin secret key a human chose.
     */
    ARGON2ID
  }

  /** What {@link #connect(StorageEndpoint, String, String)} uses. */
  public static final BodyEncryption DEFAULT_BODY_ENCRYPTION = BodyEncryption.PBKDF2;

  private static final String LIBRARY_ERROR_PREFIX = "Request failed with response: ";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final int MAX_MESSAGE = 300;
  private static final String SERVICE_ACCOUNT_DESCRIPTION =
      "s3-integration-operator: consumer key of ";
  private static final int MAX_SERVICE_ACCOUNT_DESCRIPTION = 256;

  static final String NO_SUCH_USER = "XMinioAdminNoSuchUser";
  static final String NO_SUCH_POLICY = "XMinioAdminNoSuchPolicy";
  static final String NO_SUCH_SERVICE_ACCOUNT =
      "XMinioInvalidIAMCredentials"; // "service account is not found"

  // RustFS (1.0.1) serves the same admin API but answers errors as S3's XML with S3's generic
  // codes. Where its code alone is ambiguous, the exact message decides (checked against RustFS,
  // docs/backends/rustfs.md); a generic code with any other message keeps the generic mapping.
  /** RustFS: user-info and remove-user of a missing user, info-canned-policy of a missing one. */
  static final String RUSTFS_NO_SUCH_RESOURCE = "NoSuchResource";

  static final RustfsAnswer RUSTFS_NO_SUCH_SERVICE_ACCOUNT =
      new RustfsAnswer("InvalidRequest", "service account not exist");
  static final RustfsAnswer RUSTFS_DETACH_NO_SUCH_USER =
      new RustfsAnswer("InvalidArgument", "user not found");
  static final RustfsAnswer RUSTFS_POLICY_IN_USE =
      new RustfsAnswer("InternalError", "policy in use");

  /** add-canned-policy of a policy with an empty Statement list (500, not 400). */
  static final RustfsAnswer RUSTFS_POLICY_INVALID_ARGUMENTS =
      new RustfsAnswer("InternalError", "invalid arguments specified");

  /** add-user refusals that come back as 500 InternalError with these message prefixes. */
  private static final List<String> RUSTFS_USER_REFUSED =
      List.of(
          "failed to create user: invalid access key length",
          "failed to create user: invalid secret key length",
          "failed to create user: access key contains reserved characters");

  /** An error answer of RustFS's recognised by code and exact message. */
  record RustfsAnswer(String code, String message) {
    boolean matches(MinioError e) {
      return code.equals(e.code) && message.equals(e.detail);
    }
  }

  private static final Set<String> CREDENTIALS_INVALID =
      Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch");
  private static final Set<String> ACCESS_DENIED = Set.of("AccessDenied");
  private static final Set<String> POLICY_REJECTED =
      Set.of(
          "XMinioMalformedIAMPolicy",
          "MalformedPolicy",
          "XMinioMalformedJSON",
          "MalformedJSON",
          "PolicyInvalidName",
          "PolicyTooLarge",
          "EntityTooLarge");
  private static final Set<String> REFUSED_REQUEST =
      Set.of(
          "XMinioAdminInvalidAccessKey",
          "XMinioAdminInvalidSecretKey",
          "XMinioIAMActionNotAllowed",
          "XMinioInvalidResource",
          "XMinioAdminInvalidRequest");

  private final MinioAdminClient client;
  private final OkHttpClient http;
  private final HttpUrl baseUrl;
  private final String url;
  private final String region;
  private final String adminAccessKey;
  private final String adminSecretKey;
  private final BodyEncryption bodyEncryption;
  private final Argon2Gate argon2Gate;

  private MinioAdminClientAdapter(
      MinioAdminClient client,
      OkHttpClient http,
      StorageEndpoint endpoint,
      String adminAccessKey,
      String adminSecretKey,
      BodyEncryption bodyEncryption,
      Argon2Gate argon2Gate) {
    this.client = client;
    this.bodyEncryption = bodyEncryption;
    this.argon2Gate = argon2Gate;
    this.http = http;
    this.url = endpoint.url();
    this.baseUrl = HttpUtils.getBaseUrl(url);
    this.region = endpoint.region();
    this.adminAccessKey = adminAccessKey;
    this.adminSecretKey = adminSecretKey;
  }

  /**
   * An adapter talking to this endpoint with these admin keys, encrypting bodies with {@link
   * #DEFAULT_BODY_ENCRYPTION}. Connects lazily: nothing is sent until the first call, so bad keys
   * or an unreachable server show up there.
   *
   * @throws StorageException reason TLSError when the endpoint's CA bundle is unusable
   */
  public static MinioAdminClientAdapter connect(
      StorageEndpoint endpoint, String adminAccessKey, String adminSecretKey) {
    return connect(endpoint, adminAccessKey, adminSecretKey, DEFAULT_BODY_ENCRYPTION);
  }

  /**
   * {@link #connect(StorageEndpoint, String, String)} with this body encryption. As a {@link
   * MinioAdminFactory}: {@code (e, ak, sk) -> MinioAdminClientAdapter.connect(e, ak, sk, choice)}.
   */
  public static MinioAdminClientAdapter connect(
      StorageEndpoint endpoint,
      String adminAccessKey,
      String adminSecretKey,
      BodyEncryption bodyEncryption) {
    return connect(endpoint, adminAccessKey, adminSecretKey, bodyEncryption, Argon2Gate.shared());
  }

  /** {@link #connect(StorageEndpoint, String, String, BodyEncryption)} with this Argon2id gate. */
  static MinioAdminClientAdapter connect(
      StorageEndpoint endpoint,
      String adminAccessKey,
      String adminSecretKey,
      BodyEncryption bodyEncryption,
      Argon2Gate argon2Gate) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(bodyEncryption, "bodyEncryption");
    requireText(adminAccessKey, "admin access key");
    requireText(adminSecretKey, "admin secret key");
    OkHttpClient http = HttpClients.forEndpoint(endpoint);
    MinioAdminClient client =
        MinioAdminClient.builder()
            .endpoint(endpoint.url())
            .region(endpoint.region())
            .credentials(adminAccessKey, adminSecretKey)
            .httpClient(http)
            .build();
    return new MinioAdminClientAdapter(
        client,
        http,
        endpoint,
        adminAccessKey,
        adminSecretKey,
        bodyEncryption,
        Objects.requireNonNull(argon2Gate, "argon2Gate"));
  }

  /**
   * How this adapter encrypts the bodies of {@link #createUser} and {@link #createServiceAccount}.
   */
  public BodyEncryption bodyEncryption() {
    return bodyEncryption;
  }

  @Override
  public Optional<MinioUser> user(String accessKey) {
    requireText(accessKey, "access key");
    // the store check reads the admin's own user: its name only with an access key's shape
    String what =
        AccessKeys.showable(accessKey)
            ? "reading user \"" + accessKey + "\""
            : "reading a user whose name is not shown";
    try {
      UserInfo info = invoke(() -> client.getUserInfo(accessKey));
      if (info == null || info.status() == null) {
        // MinIO's user info always has a status: any other 200 (a proxy, a look-alike) is not
        // MinIO, and a store must not be reported AdminReady on it (issue 21, item 20)
        throw StorageException.serverError(
            "the server at "
                + url
                + " answered "
                + what
                + " with something that is not MinIO's"
                + " user info",
            null);
      }
      return Optional.of(
          new MinioUser(
              accessKey,
              info.status() == UserInfo.Status.ENABLED,
              splitPolicies(info.policyName())));
    } catch (MinioError e) {
      if (NO_SUCH_USER.equals(e.code) || RUSTFS_NO_SUCH_RESOURCE.equals(e.code)) {
        return Optional.empty();
      }
      throw map(what, e, Set.of());
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>On an existing user MinIO keeps the attached policies (only the identity — secret key and
   * status — is replaced). One {@code PUT add-user?accessKey=<ak>} whose body is madmin-go's {@code
   * AddOrUpdateUserReq} {@code {"secretKey":..,"status":"enabled"}}, encrypted: see the class
   * comment for the cost of each {@link BodyEncryption}.
   */
  @Override
  public void createUser(String accessKey, String secretKey) {
    requireText(accessKey, "access key");
    requireText(secretKey, "secret key");
    String what = "creating user \"" + accessKey + "\"";
    ObjectNode request = JSON.createObjectNode();
    request.put("secretKey", secretKey);
    request.put("status", "enabled");
    Map<String, String> query = new LinkedHashMap<>();
    query.put("accessKey", accessKey);
    try {
      invoke(() -> signed("PUT", "add-user", query, encrypted(request)));
    } catch (MinioError e) {
      if ("InternalError".equals(e.code)
          && e.detail != null
          && RUSTFS_USER_REFUSED.stream().anyMatch(e.detail::startsWith)) {
        // RustFS's counterpart of XMinioAdminInvalidAccessKey / XMinioAdminInvalidSecretKey
        throw refused(what, e);
      }
      throw map(what, e, Set.of());
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>One {@code PUT add-service-account} whose body is madmin-go's {@code AddServiceAccountReq}
   * ({@code accessKey}, {@code secretKey}, {@code targetUser}, {@code description}, {@code
   * expiration}), encrypted. MinIO answers with the new credentials encrypted with Argon2id under
   * the admin's key; we check the status and do not decrypt that answer.
   */
  @Override
  public void createServiceAccount(
      String parent, String accessKey, String secretKey, Instant expiration) {
    requireText(parent, "parent user");
    requireText(accessKey, "access key");
    requireText(secretKey, "secret key");
    Objects.requireNonNull(expiration, "expiration");
    String what = "creating service account \"" + accessKey + "\" of \"" + parent + "\"";
    String description = SERVICE_ACCOUNT_DESCRIPTION + parent;
    if (description.length() > MAX_SERVICE_ACCOUNT_DESCRIPTION) {
      // minio-admin's own check, kept
      throw new IllegalArgumentException("description must be at most 256 characters long");
    }
    ZonedDateTime expires = expiration.atZone(ZoneOffset.UTC);
    ObjectNode request = JSON.createObjectNode();
    request.put("accessKey", accessKey);
    request.put("secretKey", secretKey);
    request.put("targetUser", parent);
    request.put("description", description);
    request.put("expiration", expires.format(Time.EXPIRATION_DATE_FORMAT));
    call(what, Set.of(), () -> signed("PUT", "add-service-account", Map.of(), encrypted(request)));
  }

  @Override
  public void deleteServiceAccount(String accessKey) {
    requireText(accessKey, "access key");
    deleteIfPresent(
        "deleting service account \"" + accessKey + "\"",
        Set.of(NO_SUCH_USER, NO_SUCH_SERVICE_ACCOUNT),
        RUSTFS_NO_SUCH_SERVICE_ACCOUNT,
        () -> {
          client.deleteServiceAccount(accessKey);
          return null;
        });
  }

  @Override
  public void deleteUser(String accessKey) {
    requireText(accessKey, "access key");
    deleteIfPresent(
        "deleting user \"" + accessKey + "\"",
        Set.of(NO_SUCH_USER, RUSTFS_NO_SUCH_RESOURCE),
        null,
        () -> {
          client.deleteUser(accessKey);
          return null;
        });
  }

  /**
   * A delete where an answer with one of {@code absentCodes}, or matching {@code absentAnswer}
   * (code and exact message), means: already gone.
   */
  private void deleteIfPresent(
      String what, Set<String> absentCodes, RustfsAnswer absentAnswer, AdminCall<Void> delete) {
    try {
      invoke(delete);
    } catch (MinioError e) {
      boolean absent =
          (e.code != null && absentCodes.contains(e.code)) // Set.of refuses null
              || (absentAnswer != null && absentAnswer.matches(e));
      if (!absent) {
        throw map(what, e, Set.of());
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>One signed {@code GET /minio/admin/v3/info-canned-policy?name=<name>&v=2}; returns the
   * {@code Policy} member of the answer (or the whole answer from a server that sends the bare
   * document), re-serialized compactly, so compare with {@code PolicyDocument.equivalent}.
   */
  @Override
  public Optional<String> policy(String name) {
    requireText(name, "policy name");
    String what = "reading policy \"" + name + "\"";
    byte[] body;
    try {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("name", name);
      query.put("v", "2");
      body = invoke(() -> signed("GET", "info-canned-policy", query));
    } catch (MinioError e) {
      if (NO_SUCH_POLICY.equals(e.code) || RUSTFS_NO_SUCH_RESOURCE.equals(e.code)) {
        return Optional.empty();
      }
      throw map(what, e, Set.of());
    }
    try {
      JsonNode answer = JSON.readTree(body);
      JsonNode doc = policyOf(answer);
      if (doc == null || !doc.isObject()) {
        throw StorageException.serverError(
            "MinIO at " + url + " answered " + what + " with something that is not a policy", null);
      }
      return Optional.of(JSON.writeValueAsString(doc));
    } catch (IOException e) {
      throw StorageException.serverError(
          "MinIO at " + url + " answered " + what + " with something that is not JSON", e);
    }
  }

  @Override
  public void putPolicy(String name, String document) {
    requireText(name, "policy name");
    requireText(document, "policy document");
    String what = "storing policy \"" + name + "\"";
    try {
      invoke(
          () -> {
            client.addCannedPolicy(name, document);
            return null;
          });
    } catch (MinioError e) {
      if (RUSTFS_POLICY_INVALID_ARGUMENTS.matches(e)) {
        throw StorageException.policyRejected(
            "MinIO at " + url + " rejected " + what + ": " + detail(e));
      }
      // RustFS: InvalidRequest (not JSON, unknown action), InvalidArgument (no Version); the
      // request carries only the name and the document
      throw map(what, e, Set.of("XMinioAdminInvalidArgument", "InvalidRequest", "InvalidArgument"));
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>MinIO refuses to delete a policy that is still attached to a user or group ({@code
   * XMinioIAMPolicyInUse}); that surfaces as a transient {@code StorageError}. Detach first.
   */
  @Override
  public void deletePolicy(String name) {
    requireText(name, "policy name");
    String what = "deleting policy \"" + name + "\"";
    try {
      invoke(
          () -> {
            client.removeCannedPolicy(name);
            return null;
          });
    } catch (MinioError e) {
      if (RUSTFS_POLICY_IN_USE.matches(e)) {
        throw stillAttached(what, e);
      }
      throw map(what, e, Set.of());
    }
  }

  @Override
  public void attachPolicy(String accessKey, String policyName) {
    requireText(accessKey, "access key");
    requireText(policyName, "policy name");
    call(
        "attaching policy \"" + policyName + "\" to user \"" + accessKey + "\"",
        Set.of(),
        () -> {
          client.setPolicy(accessKey, false, policyName);
          return null;
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>A user that does not exist has no policies: that counts as success.
   */
  @Override
  public void detachAllPolicies(String accessKey) {
    requireText(accessKey, "access key");
    Map<String, String> query = new LinkedHashMap<>();
    query.put("policyName", "");
    query.put("userOrGroup", accessKey);
    query.put("isGroup", "false");
    try {
      invoke(() -> signed("PUT", "set-user-or-group-policy", query));
    } catch (MinioError e) {
      if (!NO_SUCH_USER.equals(e.code) && !RUSTFS_DETACH_NO_SUCH_USER.matches(e)) {
        throw map("detaching the policies of user \"" + accessKey + "\"", e, Set.of());
      }
    }
  }

  // ---- plumbing ----

  @FunctionalInterface
  private interface AdminCall<T> {
    T call() throws Exception;
  }

  /** A MinIO error answer: the parsed code (null when unparseable) and message. */
  static final class MinioError extends Exception {
    final int status;
    final String code;
    final String detail;

    MinioError(int status, String code, String detail) {
      super(code == null ? "unparseable MinIO error" : code, null, false, false);
      this.status = status;
      this.code = code;
      this.detail = detail;
    }
  }

  private <T> T call(String what, Set<String> policyCodes, AdminCall<T> c) {
    try {
      return invoke(c);
    } catch (MinioError e) {
      throw map(what, e, policyCodes);
    }
  }

  /**
   * Runs a library or signed call; transport and crypto failures become {@link StorageException},
   * MinIO's error answers become {@link MinioError} for the caller to interpret.
   */
  private <T> T invoke(AdminCall<T> c) throws MinioError {
    try {
      return c.call();
    } catch (MinioError | StorageException e) {
      throw e;
    } catch (JacksonException e) {
      // Jackson's exceptions are IOExceptions, but they mean "answer not understood", not
      // "network down". Their messages may quote the answer: keep them out of ours.
      throw StorageException.serverError(
          "MinIO at " + url + " sent an answer that could not be parsed", e);
    } catch (IOException e) {
      throw HttpClients.classify(e, url);
    } catch (GeneralSecurityException | InvalidCipherTextException e) {
      throw StorageException.serverError(
          "cannot sign or encrypt a request to MinIO at "
              + url
              + ": "
              + e.getClass().getSimpleName(),
          e);
    } catch (RuntimeException e) {
      String m = e.getMessage();
      if (m != null && m.startsWith(LIBRARY_ERROR_PREFIX)) {
        throw parseError(-1, m.substring(LIBRARY_ERROR_PREFIX.length()));
      }
      throw e;
    } catch (Exception e) {
      throw StorageException.serverError(
          "unexpected failure talking to MinIO at " + url + ": " + e.getClass().getSimpleName(), e);
    }
  }

  static MinioError parseError(int status, String body) {
    if (body != null && body.stripLeading().startsWith("<")) {
      return XmlError.parse(status, body);
    }
    String code = null;
    String message = null;
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.isObject()) {
        code = ErrorCodes.sane(text(n, "Code")); // null: not an error response of MinIO's
        message = text(n, "Message");
      }
    } catch (IOException | RuntimeException e) {
      // not MinIO's JSON: leave code null, never quote the body
    }
    return new MinioError(status, code, message);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      return null;
    }
    return clean(v.asText());
  }

  /** One line of at most {@link #MAX_MESSAGE} characters, or null when blank. */
  private static String clean(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String s = text.strip().replaceAll("\\p{Cntrl}", " ");
    return s.length() > MAX_MESSAGE ? s.substring(0, MAX_MESSAGE) + "…" : s;
  }

  /**
   * S3's XML error, as RustFS answers its MinIO-compatible admin API: {@code <?xml ...?><Error>
   * <Code>NoSuchResource</Code><Message>...</Message></Error>}. No XML parser is involved: the
   * answer is taken only when it is, after an optional XML declaration, one {@code <Error>} element
   * whose children are flat {@code <Name>text</Name>} (or {@code <Name/>}) elements, at most {@link
   * #MAX_ERROR_BODY} characters in all. A DOCTYPE, comment, CDATA section, processing instruction,
   * attribute or nested element makes it "not an error response" (code null, nothing quoted), so no
   * entity is ever declared or expanded; in text only XML's five predefined entities and character
   * references of printable characters are decoded, anything else stays literal.
   */
  static final class XmlError {
    private static final Pattern DECLARATION = Pattern.compile("<\\?xml\\s[^<>?]{0,200}\\?>\\s*");
    private static final Pattern CHILD =
        Pattern.compile(
            "\\s*(?:<([A-Za-z][A-Za-z0-9]{0,63})>([^<]*)</\\1>|<[A-Za-z][A-Za-z0-9]{0,63}\\s*/>)");
    private static final Pattern ENTITY =
        Pattern.compile("&(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});");
    private static final String OPEN = "<Error>";
    private static final String CLOSE = "</Error>";

    private XmlError() {}

    static MinioError parse(int status, String body) {
      String[] codeAndMessage = codeAndMessage(body);
      if (codeAndMessage == null) {
        return new MinioError(status, null, null);
      }
      String code = ErrorCodes.sane(codeAndMessage[0]);
      return new MinioError(status, code, code == null ? null : clean(codeAndMessage[1]));
    }

    /** {code, message} (message may be null), or null when the body is not S3's XML error. */
    private static String[] codeAndMessage(String body) {
      if (body.length() > MAX_ERROR_BODY) {
        return null;
      }
      String s = body.strip();
      Matcher decl = DECLARATION.matcher(s);
      int start = decl.lookingAt() ? decl.end() : 0;
      if (!s.startsWith(OPEN, start) || !s.endsWith(CLOSE)) {
        return null;
      }
      int end = s.length() - CLOSE.length();
      int pos = start + OPEN.length();
      if (end < pos) {
        return null;
      }
      String code = null;
      String message = null;
      Matcher child = CHILD.matcher(s).region(pos, end);
      while (pos < end) {
        child.region(pos, end);
        if (!child.lookingAt()) {
          if (s.substring(pos, end).isBlank()) {
            break;
          }
          return null; // markup we do not take: nested, attributes, <!DOCTYPE, <![CDATA[, ...
        }
        String name = child.group(1);
        if ("Code".equals(name)) {
          if (code != null) {
            return null;
          }
          code = decode(child.group(2));
        } else if ("Message".equals(name)) {
          if (message != null) {
            return null;
          }
          message = decode(child.group(2));
        }
        pos = child.end();
      }
      return code == null ? null : new String[] {code, message};
    }

    private static String decode(String text) {
      if (text.indexOf('&') < 0) {
        return text;
      }
      Matcher m = ENTITY.matcher(text);
      StringBuilder out = new StringBuilder(text.length());
      while (m.find()) {
        String e = m.group(1);
        String r =
            switch (e) {
              case "lt" -> "<";
              case "gt" -> ">";
              case "amp" -> "&";
              case "quot" -> "\"";
              case "apos" -> "'";
              default -> character(e);
            };
        m.appendReplacement(out, Matcher.quoteReplacement(r));
      }
      m.appendTail(out);
      return out.toString();
    }

    /** A character reference of a printable character, else the reference itself. */
    private static String character(String ref) {
      int cp =
          ref.startsWith("#x")
              ? Integer.parseInt(ref.substring(2), 16)
              : Integer.parseInt(ref.substring(1));
      if (!Character.isValidCodePoint(cp) || Character.isISOControl(cp)) {
        return "&" + ref + ";";
      }
      return Character.toString(cp);
    }
  }

  private StorageException map(String what, MinioError e, Set<String> policyCodes) {
    if (e.code == null) {
      return StorageException.serverError(
          "MinIO at "
              + url
              + " answered "
              + what
              + " with an error that is not a MinIO error response"
              + (e.status > 0 ? " (HTTP " + e.status + ")" : ""),
          null);
    }
    String detail = detail(e);
    if (CREDENTIALS_INVALID.contains(e.code)) {
      return StorageException.adminCredentialsInvalid(
          "MinIO at "
              + url
              + " rejected the admin credentials ("
              + AccessKeys.describe(adminAccessKey)
              + "): "
              + detail);
    }
    if (ACCESS_DENIED.contains(e.code)) {
      return StorageException.adminAccessDenied(
          "MinIO at "
              + url
              + " denied "
              + what
              + " to the admin "
              + AccessKeys.describe(adminAccessKey)
              + " (it needs MinIO admin rights, e.g. the consoleAdmin policy): "
              + detail);
    }
    if (POLICY_REJECTED.contains(e.code) || policyCodes.contains(e.code)) {
      return StorageException.policyRejected(
          "MinIO at " + url + " rejected " + what + ": " + detail);
    }
    if (REFUSED_REQUEST.contains(e.code)) {
      return refused(what, e);
    }
    if ("XMinioIAMPolicyInUse".equals(e.code)) {
      return stillAttached(what, e);
    }
    return StorageException.serverError(
        "MinIO at " + url + " failed " + what + ": " + detail, null);
  }

  private static String detail(MinioError e) {
    return e.code + (e.detail == null ? "" : ": " + e.detail);
  }

  /** A request the server will refuse again whatever the timing: not transient. */
  private StorageException refused(String what, MinioError e) {
    return new StorageException(
        Reasons.STORAGE_ERROR, false, "MinIO at " + url + " refused " + what + ": " + detail(e));
  }

  /** Removing a policy still attached to a user or group: transient, callers detach first. */
  private StorageException stillAttached(String what, MinioError e) {
    return StorageException.serverError(
        "MinIO at "
            + url
            + " refused "
            + what
            + " because the policy is still attached to a user or group: "
            + detail(e),
        null);
  }

  /**
   * The policy document in an {@code info-canned-policy?v=2} answer: MinIO's {@code Policy} member,
   * RustFS's {@code policy} member (next to {@code policy_name}), or the whole answer from a server
   * that sends the bare document.
   */
  private static JsonNode policyOf(JsonNode answer) {
    if (answer == null) {
      return null;
    }
    if (answer.has("Policy")) {
      return answer.get("Policy");
    }
    if (answer.has("policy") && !answer.has("Statement") && !answer.has("Version")) {
      return answer.get("policy");
    }
    return answer;
  }

  /**
   * The request, as JSON, encrypted for MinIO with the chosen variant. Argon2id's 64 MiB are held
   * under {@link Argon2Gate} for the derivation and encryption only: the request, MinIO's own
   * Argon2id and its answer run outside it, so a slow or stalled server holds no permit.
   */
  private byte[] encrypted(ObjectNode request) throws GeneralSecurityException {
    byte[] plaintext;
    try {
      plaintext = JSON.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      // an object of strings always serializes; never report this as MinIO's answer
      throw new IllegalStateException("cannot serialize an admin request", e);
    }
    try {
      if (bodyEncryption == BodyEncryption.PBKDF2) {
        return MadminCrypto.encrypt(
            MadminCrypto.Algorithm.PBKDF2_AES_GCM, adminSecretKey, plaintext);
      }
      return argon2Gate.run(
          () ->
              MadminCrypto.encrypt(
                  MadminCrypto.Algorithm.ARGON2ID_AES_GCM, adminSecretKey, plaintext));
    } finally {
      Arrays.fill(plaintext, (byte) 0); // it holds a secret key
    }
  }

  private byte[] signed(String method, String command, Map<String, String> query)
      throws IOException, GeneralSecurityException, MinioError {
    return signed(method, command, query, "GET".equals(method) ? null : new byte[0]);
  }

  /**
   * One signed admin request, the way {@code MinioAdminClient} builds its own: same client, same
   * Signature V4 signing (the body's SHA-256 signed), query values escaped with {@link S3Escaper}.
   * Returns the body of a 2xx answer.
   */
  private byte[] signed(String method, String command, Map<String, String> query, byte[] body)
      throws IOException, GeneralSecurityException, MinioError {
    HttpUrl.Builder ub =
        baseUrl
            .newBuilder()
            .addEncodedPathSegments(S3Escaper.encodePath("minio/admin/v3/" + command));
    query.forEach((k, v) -> ub.addEncodedQueryParameter(S3Escaper.encode(k), S3Escaper.encode(v)));
    HttpUrl target = ub.build();
    String sha = body == null ? Digest.ZERO_SHA256_HASH : Digest.sha256Hash(body, body.length);
    Request request =
        new Request.Builder()
            .url(target)
            .header("Host", HttpUtils.getHostHeader(target))
            .header("Accept-Encoding", "identity")
            .header("x-amz-date", ZonedDateTime.now(Time.UTC).format(Time.AMZ_DATE_FORMAT))
            .header("x-amz-content-sha256", sha)
            .method(method, body == null ? null : RequestBody.create(body, OCTET_STREAM))
            .build();
    request = Signer.signV4S3(request, region, adminAccessKey, adminSecretKey, sha);
    try (Response response = http.newCall(request).execute()) {
      ResponseBody rb = response.body();
      if (response.isSuccessful()) {
        return rb.bytes();
      }
      throw parseError(response.code(), readLimited(rb));
    }
  }

  private static String readLimited(ResponseBody rb) throws IOException {
    try (InputStream in = rb.byteStream()) {
      return new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
    }
  }

  private static List<String> splitPolicies(String policyName) {
    if (policyName == null || policyName.isBlank()) {
      return List.of();
    }
    return Arrays.stream(policyName.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static void requireText(String s, String what) {
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
  }
}
