package dev.integrations.s3.verify;

import dev.integrations.s3.secret.AccessKeys;
import dev.integrations.s3.storage.ErrorCodes;
import dev.integrations.s3.storage.HttpClients;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.verify.ProbeResult.Outcome;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.minio.errors.XmlParserException;
import io.minio.messages.Item;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Proves, with the credentials the operator issued (never the admin's), that they can list and read
 * what was granted.
 *
 * <p>Per bucket the prober sends at most one ListObjectsV2 request per granted prefix ({@code
 * max-keys=1}, recursive so that the first entry is an object, never a common prefix) until it
 * finds an object, then one ranged GET ({@code Range: bytes=0-0}) of that object. It never writes.
 *
 * <p>Outcomes per bucket ({@link ProbeResult}):
 *
 * <ul>
 *   <li>{@code list}: {@code Allowed}, {@code Denied} (AccessDenied), {@code NoSuchBucket}, or
 *       {@code Error} (any other per-request answer, with the error code in {@code message}).
 *   <li>{@code get}: {@code Allowed} (206, or 416 InvalidRange for a zero-byte object, or 200 from
 *       servers that ignore the range: all prove read access), {@code Denied}, {@code Error};
 *       {@code NoObjects} when listing worked but found nothing to read under any granted prefix
 *       (an empty bucket is not a failure, but read access is then unproven).
 *   <li>When the list fails, nothing is read: {@code get} is {@code NoSuchBucket} when the bucket
 *       does not exist (reading cannot work either), and {@code null} (not probed, omitted from the
 *       status) when the list was denied or failed, because without an object name the prober
 *       cannot honestly say whether reading would work.
 *   <li>{@code message}: short human text for anything that is not {@code Allowed}/{@code Allowed};
 *       it carries S3 error codes, bucket names and prefixes, never keys, signatures or server
 *       response bodies.
 * </ul>
 *
 * <p>Failures that concern the whole endpoint or the keys themselves are not per-bucket results;
 * they are thrown as {@link StorageException}: unreachable endpoint or TLS failure (from {@link
 * HttpClients#classify}), issued keys rejected (reason {@code CredentialsRejected}: unknown access
 * key, wrong secret, disabled user), and 5xx or non-S3 answers (reason {@code StorageError}).
 *
 * <p>Every request uses the endpoint's timeouts through {@link HttpClients#forEndpoint}. The region
 * is always set, so the client never calls GetBucketLocation.
 */
public final class AccessProber {

  /**
   * Error codes meaning the keys themselves are not accepted. MinIO answers InvalidAccessKeyId for
   * an unknown and for a disabled access key, SignatureDoesNotMatch for a wrong secret; the others
   * are what AWS-compatible servers answer for broken or expired session credentials.
   */
  static final Set<String> CREDENTIAL_CODES =
      Set.of(
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "InvalidToken",
          "ExpiredToken",
          "InvalidClientTokenId",
          "AccountProblem",
          "AccessKeyDisabled");

  /**
   * RustFS (1.0.1) answers a request signed with a service account past its expiry with 400 {@code
   * InvalidRequest} "check key failed" (its message for a failed key check; a disabled user gets
   * 403 {@code InvalidAccessKeyId} with the same text). Only this code, status and exact message
   * mean "keys rejected": any other {@code InvalidRequest} is not (docs/backends/rustfs.md).
   */
  static final String RUSTFS_KEY_CHECK_FAILED = "check key failed";

  /** Error code of a range a zero-byte object cannot satisfy: the read was authorised. */
  private static final String INVALID_RANGE = "InvalidRange";

  public AccessProber() {}

  /**
   * Probes each bucket, de-duplicated by name (see {@link #merge}), within the budget: starting at
   * its offset, as many buckets as its requests and time allow; the others are reported as not
   * probed ({@code list} null, with a message), never as failures.
   *
   * @return one status per distinct bucket, in order of first appearance
   * @throws StorageException when the endpoint is unreachable, TLS fails, the keys are rejected, or
   *     the server answers 5xx / not like S3
   */
  public List<ProbeResult> probe(
      StorageEndpoint endpoint,
      String accessKey,
      String secretKey,
      List<BucketScope> buckets,
      ProbeBudget budget) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    List<BucketScope> scopes = merge(buckets);
    if (scopes.isEmpty()) {
      return List.of();
    }
    Call call = new Call(endpoint, issued(accessKey));
    MinioClient client = client(endpoint, accessKey, secretKey);
    try {
      ProbeResult[] out = new ProbeResult[scopes.size()];
      int[] used = {0};
      for (int k = 0; k < scopes.size(); k++) {
        int i = Math.floorMod(budget.offset() + k, scopes.size());
        BucketScope scope = scopes.get(i);
        out[i] =
            budget.allows(used[0])
                ? probeBucket(client, call, scope, budget, used)
                : notProbed(scope.bucket(), budget);
      }
      return List.of(out);
    } finally {
      close(client);
    }
  }

  /**
   * Which of these buckets do not exist, asked with keys that may see every bucket (a store's
   * admin): one HeadBucket each, before the operator writes anything for a new integration. Only an
   * answer of NoSuchBucket counts as missing; any other answer leaves the question to the
   * verification with the issued keys.
   *
   * @throws StorageException when the endpoint cannot be reached at all
   */
  public List<String> missingBuckets(
      StorageEndpoint endpoint, String accessKey, String secretKey, List<String> buckets) {
    List<String> missing = new ArrayList<>();
    if (buckets.isEmpty()) {
      return missing;
    }
    MinioClient client = client(endpoint, accessKey, secretKey);
    try {
      for (String bucket : new LinkedHashSet<>(buckets)) {
        try {
          if (!client.bucketExists(io.minio.BucketExistsArgs.builder().bucket(bucket).build())) {
            missing.add(bucket);
          }
        } catch (Exception e) {
          IOException transport = Call.transportCause(e);
          if (transport != null) {
            throw HttpClients.classify(transport, endpoint.url());
          }
          // 403 and the like: not an answer about existence
        }
      }
      return missing;
    } finally {
      close(client);
    }
  }

  /**
   * Proves the keys authenticate, without needing any permission: one ListBuckets request, where a
   * 200 and a 403 AccessDenied both mean the server recognised the access key and the signature.
   *
   * @throws StorageException reason CredentialsRejected when the access key is unknown or disabled
   *     or the secret does not match; EndpointUnreachable / TLSError / StorageError as {@link
   *     #probe}
   */
  public void authenticate(StorageEndpoint endpoint, String accessKey, String secretKey) {
    authenticate(endpoint, accessKey, secretKey, issued(accessKey));
  }

  /**
   * {@link #authenticate(StorageEndpoint, String, String)}, with the keys described in a rejection
   * as {@code keys} (e.g. the Secret they come from): for keys read from a tenant's Secret, whose
   * access key is not shown before it authenticates ({@link AccessKeys}).
   */
  public void authenticate(
      StorageEndpoint endpoint, String accessKey, String secretKey, String keys) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    Objects.requireNonNull(keys, "keys");
    Call call = new Call(endpoint, keys);
    MinioClient client = client(endpoint, accessKey, secretKey);
    try {
      // one request. Not listBuckets(ListBucketsArgs): in minio-java 8.6.0 that iterator loses the
      // error of a failed request (next() throws NoSuchElementException instead)
      client.listBuckets();
    } catch (Exception e) {
      Failure f = call.failure(e, "ListBuckets");
      if ("AccessDenied".equals(f.code())) {
        return; // authenticated, just not allowed to list buckets
      }
      throw StorageException.serverError(
          endpoint.url() + " answered ListBuckets with " + f.describe(), e);
    } finally {
      close(client);
    }
  }

  /**
   * Proves the endpoint answers like an HTTP server with the trust configured, without keys: one
   * unsigned GET of {@code /}, whose answer (usually 403) is discarded unread.
   *
   * @throws StorageException EndpointUnreachable or TLSError
   */
  public void reach(StorageEndpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    Request request = new Request.Builder().url(endpoint.url() + "/").get().build();
    try (Response response = HttpClients.forEndpoint(endpoint).newCall(request).execute()) {
      String body = response.body().string();
      if (!s3Shaped(response, body)) {
        // another service on that port: said the same way as a closed one (ConnectionFailure)
        throw HttpClients.unreachable(
            endpoint.url(),
            endpoint.url()
                + " answered an unsigned request with HTTP "
                + response.code()
                + " that is not an S3 answer",
            null);
      }
      if (response.code() >= 500) {
        throw StorageException.serverError(
            endpoint.url() + " answered an unsigned request with HTTP " + response.code(), null);
      }
    } catch (IOException e) {
      throw HttpClients.classify(e, endpoint.url());
    }
  }

  /**
   * Whether an answer to an unsigned {@code GET /} is an S3 server's: an S3 error document (usually
   * AccessDenied) or a bucket list, or S3's request-id header.
   */
  static boolean s3Shaped(Response response, String body) {
    return response.header("x-amz-request-id") != null
        || body.contains("<Error>")
        || body.contains("<ListAllMyBucketsResult");
  }

  /**
   * Merges scopes by bucket name, keeping the order of first appearance. A scope without prefixes
   * (the whole bucket) wins over prefixed scopes of the same bucket; otherwise the prefixes are
   * united in order of first appearance. An empty prefix means the whole bucket.
   *
   * @throws IllegalArgumentException when a bucket name is null or blank
   */
  static List<BucketScope> merge(List<BucketScope> scopes) {
    if (scopes == null) {
      return List.of();
    }
    Map<String, Set<String>> prefixes = new LinkedHashMap<>();
    Set<String> whole = new LinkedHashSet<>();
    for (BucketScope s : scopes) {
      if (s == null) {
        continue;
      }
      if (s.bucket() == null || s.bucket().isBlank()) {
        throw new IllegalArgumentException("bucket name must not be empty");
      }
      Set<String> p = prefixes.computeIfAbsent(s.bucket(), b -> new LinkedHashSet<>());
      if (s.prefixes().isEmpty() || s.prefixes().stream().anyMatch(x -> x == null || x.isEmpty())) {
        whole.add(s.bucket());
      } else {
        p.addAll(s.prefixes());
      }
    }
    List<BucketScope> out = new ArrayList<>(prefixes.size());
    prefixes.forEach(
        (bucket, p) ->
            out.add(new BucketScope(bucket, whole.contains(bucket) ? List.of() : List.copyOf(p))));
    return out;
  }

  private static MinioClient client(StorageEndpoint endpoint, String accessKey, String secretKey) {
    MinioClient client =
        MinioClient.builder()
            .endpoint(endpoint.url())
            .region(endpoint.region())
            .credentials(accessKey, secretKey)
            .httpClient(HttpClients.forEndpoint(endpoint), false)
            .build();
    if (endpoint.virtualHostStyle()) {
      client.enableVirtualStyleEndpoint();
    } else {
      client.disableVirtualStyleEndpoint();
    }
    return client;
  }

  /** Releases the MinIO client; the shared HTTP client stays open for the next call. */
  private static void close(MinioClient client) {
    try {
      client.close();
    } catch (Exception e) {
      // nothing left to release that matters to the caller
    }
  }

  /** A bucket the budget left out this time: neither proof nor failure. */
  private static ProbeResult notProbed(String bucket, ProbeBudget budget) {
    return new ProbeResult(
        bucket,
        null,
        null,
        "not probed this time: the verification's request budget ("
            + budget.maxRequests()
            + " requests) or time is spent; a later one starts here");
  }

  private static ProbeResult probeBucket(
      MinioClient client, Call call, BucketScope scope, ProbeBudget budget, int[] used) {
    String bucket = scope.bucket();
    List<String> prefixes = scope.prefixes().isEmpty() ? nullPrefix() : scope.prefixes();
    int tried = 0;
    for (String prefix : prefixes) {
      if (!budget.allows(used[0] + 1)) {
        // keep one request for the read; report what was sampled
        if (tried == 0) {
          return notProbed(bucket, budget);
        }
        return new ProbeResult(
            bucket,
            Outcome.Allowed,
            Outcome.NoObjects,
            "listed "
                + tried
                + " of "
                + prefixes.size()
                + " granted prefixes without finding an object (sampled: the verification's"
                + " request budget is spent)");
      }
      used[0]++;
      tried++;
      Optional<Item> first;
      try {
        first = firstObject(client, bucket, prefix);
      } catch (IllegalArgumentException e) {
        // minio-java refuses the bucket name before sending anything
        return new ProbeResult(bucket, Outcome.Error, null, "invalid bucket name: " + bucket);
      } catch (Exception e) {
        Failure f = call.failure(e, "ListObjectsV2 on bucket " + bucket);
        return switch (f.code() == null ? "" : f.code()) {
          case "AccessDenied" ->
              new ProbeResult(
                  bucket, Outcome.Denied, null, "list denied" + where(prefix) + ": AccessDenied");
          case "NoSuchBucket" ->
              new ProbeResult(
                  bucket, Outcome.NoSuchBucket, Outcome.NoSuchBucket, "bucket does not exist");
          default ->
              new ProbeResult(
                  bucket, Outcome.Error, null, "list failed" + where(prefix) + ": " + f.describe());
        };
      }
      if (first.isPresent()) {
        used[0]++;
        return read(client, call, bucket, first.get().objectName());
      }
    }
    String message =
        scope.prefixes().isEmpty()
            ? "bucket is empty: no object to prove read access with"
            : "no object under the granted "
                + (scope.prefixes().size() == 1 ? "prefix " : "prefixes ")
                + String.join(", ", scope.prefixes().stream().map(p -> "\"" + p + "\"").toList())
                + ": no object to prove read access with";
    return new ProbeResult(bucket, Outcome.Allowed, Outcome.NoObjects, message);
  }

  /**
   * The first object under the prefix. Only the first page is read: with max-keys 1 and no
   * delimiter a page that is not empty holds exactly one object, and the iterator asks for the next
   * page only after the current one is consumed.
   */
  private static Optional<Item> firstObject(MinioClient client, String bucket, String prefix)
      throws Exception {
    ListObjectsArgs.Builder args =
        ListObjectsArgs.builder().bucket(bucket).maxKeys(1).recursive(true);
    if (prefix != null) {
      args.prefix(prefix);
    }
    Iterator<io.minio.Result<Item>> it = client.listObjects(args.build()).iterator();
    if (!it.hasNext()) {
      return Optional.empty();
    }
    Item item = it.next().get();
    if (item.isDir()) {
      return Optional.empty(); // cannot happen when recursive; never GET a common prefix
    }
    return Optional.of(item);
  }

  private static ProbeResult read(MinioClient client, Call call, String bucket, String key) {
    GetObjectArgs args =
        GetObjectArgs.builder().bucket(bucket).object(key).offset(0L).length(1L).build();
    try (GetObjectResponse in = client.getObject(args)) {
      in.readNBytes(1);
      return new ProbeResult(bucket, Outcome.Allowed, Outcome.Allowed, null);
    } catch (Exception e) {
      Failure f = call.failure(e, "GetObject on bucket " + bucket);
      String code = f.code() == null ? "" : f.code();
      return switch (code) {
        case INVALID_RANGE -> new ProbeResult(bucket, Outcome.Allowed, Outcome.Allowed, null);
        case "AccessDenied" ->
            new ProbeResult(bucket, Outcome.Allowed, Outcome.Denied, "read denied: AccessDenied");
        default ->
            new ProbeResult(bucket, Outcome.Allowed, Outcome.Error, "read failed: " + f.describe());
      };
    }
  }

  private static String where(String prefix) {
    return prefix == null ? "" : " under prefix \"" + prefix + "\"";
  }

  private static List<String> nullPrefix() {
    List<String> l = new ArrayList<>(1);
    l.add(null);
    return l;
  }

  /** A per-request failure that is not endpoint-wide: an S3 error code and HTTP status. */
  private record Failure(String code, int status, String other) {
    String describe() {
      if (code != null) {
        return code + " (HTTP " + status + ")";
      }
      return other;
    }
  }

  /** The keys as a rejection names them: the access key only with an access key's shape. */
  private static String issued(String accessKey) {
    return "the issued credentials (" + AccessKeys.describe(accessKey) + ")";
  }

  /**
   * Classifies failures of requests made with one pair of keys against one endpoint.
   *
   * @param keys the keys as messages name them, never a value not fit to show
   */
  private record Call(StorageEndpoint endpoint, String keys) {

    /**
     * Throws for endpoint-wide failures, returns the per-request ones.
     *
     * @param what the request, for messages
     */
    /**
     * The transport failure behind an exception: the exception itself when it is an I/O error, or a
     * too-long answer or a timeout the XML parser met while reading the body (minio-java then
     * reports an XmlParserException).
     */
    private static IOException transportCause(Exception e) {
      if (e instanceof IOException io) {
        return io;
      }
      for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
        if (t instanceof HttpClients.ResponseTooLargeException
            || t instanceof java.io.InterruptedIOException) {
          return (IOException) t;
        }
      }
      return null;
    }

    Failure failure(Exception e, String what) {
      String url = endpoint.url();
      for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
        if (t instanceof InterruptedException) {
          // the operator is stopping: not a finding about the bucket
          Thread.currentThread().interrupt();
          throw StorageException.unreachable(what + " on " + url + " was interrupted", e);
        }
      }
      IOException transport = transportCause(e);
      if (transport != null) {
        throw HttpClients.classify(transport, url);
      }
      if (e instanceof ErrorResponseException er) {
        String raw = er.errorResponse() == null ? null : er.errorResponse().code();
        String code = ErrorCodes.sane(raw); // the endpoint's text: only a code of a code's shape
        int status = er.response() == null ? 0 : er.response().code();
        if (code != null && CREDENTIAL_CODES.contains(code)
            || status == 400
                && "InvalidRequest".equals(code)
                && RUSTFS_KEY_CHECK_FAILED.equals(er.errorResponse().message())) {
          throw StorageException.credentialsRejected(
              keys + " were rejected by " + url + ": " + code);
        }
        if (status >= 500) {
          throw StorageException.serverError(
              url + " answered " + what + " with HTTP " + status + " " + code, e);
        }
        return code != null || raw == null
            ? new Failure(code, status, null)
            : new Failure(null, status, "HTTP " + status + " with an error code of no known shape");
      }
      if (e instanceof ServerException se) {
        if (se.statusCode() >= 500) {
          throw StorageException.serverError(
              url + " answered " + what + " with HTTP " + se.statusCode(), e);
        }
        return new Failure(null, se.statusCode(), "HTTP " + se.statusCode());
      }
      if (e instanceof InvalidResponseException || e instanceof XmlParserException) {
        throw StorageException.serverError(
            url + " answered " + what + " with something that is not an S3 response", e);
      }
      if (e instanceof RuntimeException re
          && re.getCause() instanceof IOException io) { // defensive: wrapped transport errors
        throw HttpClients.classify(io, url);
      }
      return new Failure(null, 0, e.getClass().getSimpleName());
    }
  }
}
