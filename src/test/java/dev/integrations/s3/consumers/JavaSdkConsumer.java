package dev.integrations.s3.consumers;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A real AWS SDK for Java v2 consumer of the resolved-config Secret, for the consumer contract
 * tests (run as a child process by {@link Consumers}).
 *
 * <p>Arguments: {@code BUCKET KEY FORBIDDEN_KEY}. The clients are built as the Secret's docs tell
 * an application to, with the one line {@code
 * S3Client.builder().forcePathStyle("path".equals(System.getenv("S3_ADDRESSING_STYLE"))).build()}
 * (and its presigner twin); everything else comes from the environment: credentials ({@code
 * AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}), region ({@code AWS_REGION}), endpoint ({@code
 * AWS_ENDPOINT_URL}) and trust of a private CA ({@code JAVA_TOOL_OPTIONS} naming the Secret's
 * truststore). It lists the bucket, reads KEY, tries to write FORBIDDEN_KEY (a read-only grant must
 * refuse it) and presigns a GET of KEY, then prints one JSON line on stdout:
 *
 * <pre>{"client":"aws-sdk-java-v2","list":...,"get":...,"put":...,"presigned":...}</pre>
 *
 * with the same step values as {@code boto3_consumer.py}. It exits 0 whatever the steps did; it
 * never prints the secret key or request headers.
 */
public final class JavaSdkConsumer {
  private static final int MAX_MESSAGE = 300;

  private JavaSdkConsumer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: JavaSdkConsumer BUCKET KEY FORBIDDEN_KEY");
      System.exit(2);
    }
    String bucket = args[0];
    String key = args[1];
    String forbiddenKey = args[2];
    Map<String, String> result = new LinkedHashMap<>();
    result.put("client", "aws-sdk-java-v2");

    boolean pathStyle = "path".equals(System.getenv("S3_ADDRESSING_STYLE"));
    S3Client s3 = null;
    S3Presigner presigner = null;
    String noClient = null;
    try {
      s3 = S3Client.builder().forcePathStyle(pathStyle).build();
      presigner =
          S3Presigner.builder()
              .serviceConfiguration(
                  S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build())
              .build();
    } catch (RuntimeException e) {
      noClient = describe(e);
    }

    if (noClient != null) {
      for (String step : new String[] {"list", "get", "put", "presigned"}) {
        result.put(step, noClient);
      }
    } else {
      result.put("list", list(s3, bucket, key));
      result.put("get", get(s3, bucket, key));
      result.put("put", put(s3, bucket, forbiddenKey));
      result.put("presigned", presign(presigner, bucket, key));
      s3.close();
      presigner.close();
    }
    System.out.println(new ObjectMapper().writeValueAsString(result));
    System.out.flush();
    // Client threads (idle connection reapers) must not hold the process open.
    System.exit(0);
  }

  private static String list(S3Client s3, String bucket, String key) {
    try {
      ListObjectsV2Response listed = s3.listObjectsV2(r -> r.bucket(bucket));
      boolean found = listed.contents().stream().map(S3Object::key).anyMatch(key::equals);
      return found
          ? "ok"
          : clean("error: " + key + " not listed (" + listed.contents().size() + " keys)");
    } catch (RuntimeException e) {
      return describe(e);
    }
  }

  private static String get(S3Client s3, String bucket, String key) {
    try {
      byte[] body = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(body);
      return "ok size=" + body.length + " sha256=" + HexFormat.of().formatHex(sha);
    } catch (RuntimeException | java.security.NoSuchAlgorithmException e) {
      return describe(e);
    }
  }

  private static String put(S3Client s3, String bucket, String forbiddenKey) {
    try {
      s3.putObject(r -> r.bucket(bucket).key(forbiddenKey), RequestBody.fromString("must refuse"));
      return "ALLOWED";
    } catch (AwsServiceException e) {
      return "AccessDenied".equals(errorCode(e)) ? "refused AccessDenied" : describe(e);
    } catch (RuntimeException e) {
      return describe(e);
    }
  }

  private static String presign(S3Presigner presigner, String bucket, String key) {
    try {
      return presigner
          .presignGetObject(
              r ->
                  r.signatureDuration(Duration.ofMinutes(15))
                      .getObjectRequest(g -> g.bucket(bucket).key(key)))
          .url()
          .toString();
    } catch (RuntimeException e) {
      return describe(e);
    }
  }

  private static String errorCode(AwsServiceException e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  /**
   * "error: CODE: message" for a service error; otherwise the type and message of the root cause
   * (an UnknownHostException, an SSLHandshakeException...) and then of the exception itself.
   */
  static String describe(Throwable e) {
    if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
      return clean(
          "error: " + s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage());
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    // The root cause first: the SDK's own messages are long and would push it past the bound.
    String text = "error: " + root.getClass().getSimpleName() + ": " + root.getMessage();
    if (root != e) {
      text += " (in " + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
    }
    return clean(text);
  }

  /** One line, bounded, with the secret key (should any message carry it) redacted. */
  static String clean(String text) {
    String line = String.join(" ", text.trim().split("\\s+"));
    String secret = System.getenv("AWS_SECRET_ACCESS_KEY");
    if (secret != null && !secret.isEmpty()) {
      line = line.replace(secret, "<redacted>");
    }
    return line.length() > MAX_MESSAGE ? line.substring(0, MAX_MESSAGE) : line;
  }
}
