package dev.integrations.s3.secret;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.integrations.s3.naming.Names;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The resolved-config Secret: the contract with consumers (docs/consumers.md; how the operator
 * writes it: controller/integration/DESIGN.md, "Secrets: what the operator holds"). Pure code:
 * builds the desired Secret, reads the keys back, and decides whether an existing Secret needs a
 * write.
 *
 * <p>Labels are exactly ours; the integration's own labels are never copied (GitOps tools would
 * otherwise treat the Secret as theirs and prune it). Labels and annotations other tools add to the
 * Secret are kept on update.
 */
public final class ResolvedConfigSecret {
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "s3-integration-operator";
  public static final String INTEGRATION_LABEL = "s3.integrations.dev/integration";
  public static final String SCOPE_LABEL = "s3.integrations.dev/scope";

  /** On an earlier output Secret, emptied after a spec.secretName change: the one replacing it. */
  public static final String SUPERSEDED_BY_ANNOTATION = "s3.integrations.dev/superseded-by";

  /**
   * SHA-256 of the Secret's data: it changes exactly when the content does (a rotation, a new
   * endpoint), so rollout tools can restart consumers on it. Not reversible: the data holds a
   * 238-bit random key.
   */
  public static final String CONFIG_HASH_ANNOTATION = "s3.integrations.dev/config-hash";

  public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  public static final String ENDPOINT_URL = "AWS_ENDPOINT_URL";
  public static final String REGION = "AWS_REGION";

  /** The region again: botocore (boto3, the AWS CLI v1) reads only this name. */
  public static final String DEFAULT_REGION = "AWS_DEFAULT_REGION";

  /** Path of the mounted {@link #AWS_CONFIG}: what only the config file can say (path style). */
  public static final String CONFIG_FILE = "AWS_CONFIG_FILE";

  /** Path of the mounted {@code ca.crt}, for botocore, the AWS CLI and the Go SDK v2. */
  public static final String CA_BUNDLE = "AWS_CA_BUNDLE";

  /** Path of the mounted {@code ca.crt}, for Node.js (read once at process start). */
  public static final String NODE_EXTRA_CA_CERTS = "NODE_EXTRA_CA_CERTS";

  /**
   * JVM options that make the mounted {@code truststore.p12} the JVM's trust store. Opt-in: a pod
   * maps it to {@code JAVA_TOOL_OPTIONS} (it replaces the JVM's default trust, see
   * docs/consumers.md).
   */
  public static final String JAVA_TOOL_OPTIONS = "S3_JAVA_TOOL_OPTIONS";

  /** {@link #JAVA_TOOL_OPTIONS} without a CA: a property nothing reads; the JVM's trust stays. */
  public static final String NO_TRUST_STORE = "-Ds3.integration.truststore=jvm-default";

  public static final String S3_ENDPOINT = "S3_ENDPOINT";
  public static final String S3_PORT = "S3_PORT";
  public static final String S3_ADDRESSING_STYLE = "S3_ADDRESSING_STYLE";
  public static final String S3_BUCKET = "S3_BUCKET";
  public static final String S3_LOCATOR_PATTERN = "S3_LOCATOR_PATTERN";

  /** The browser-facing endpoint presigned URLs name, when the store has one. */
  public static final String S3_PUBLIC_ENDPOINT_URL = "S3_PUBLIC_ENDPOINT_URL";

  public static final String CA_CRT = "ca.crt";

  /** An AWS shared config file: {@code s3 = addressing_style}, which no environment sets. */
  public static final String AWS_CONFIG = "aws-config";

  public static final String INTEGRATION_JSON = "integration.json";

  /** Keys that integration.json leaves out: the secret key, and files. */
  private static final java.util.Set<String> NOT_IN_JSON =
      java.util.Set.of(SECRET_ACCESS_KEY, CA_CRT, AWS_CONFIG);

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private ResolvedConfigSecret() {}

  /**
   * The desired Secret.
   *
   * @param owner the S3Integration (owner reference, labels)
   * @param name Secret name
   * @param config content
   * @param annotations ownership records (user, policy); may be empty
   */
  public static Secret build(
      HasMetadata owner, String name, ResolvedConfig config, Map<String, String> annotations) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    labels.put(INTEGRATION_LABEL, Names.labelValue(owner.getMetadata().getName()));
    labels.put(SCOPE_LABEL, config.bucket() == null ? "all-buckets" : "bucket");
    Map<String, String> data = data(config);
    Map<String, String> allAnnotations = new TreeMap<>(annotations);
    allAnnotations.put(CONFIG_HASH_ANNOTATION, hash(data));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(allAnnotations)
        .withOwnerReferences(ownerReference(owner))
        .endMetadata()
        .withType("Opaque")
        .withData(encode(data))
        .build();
  }

  /** The hash of the data: its entries in key order, each {@code key=value} and a NUL. */
  static String hash(Map<String, String> data) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(data).forEach((k, v) -> sb.append(k).append('=').append(v).append('\0'));
    return Names.sha256Hex(sb.toString());
  }

  /**
   * The plain key/value content, in the table's order. Keys without a value are left out rather
   * than written empty; every value is text without NUL (a consumer's {@code envFrom} turns each
   * key into an environment variable, and a NUL in one stops the container from starting).
   */
  public static Map<String, String> data(ResolvedConfig c) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(ACCESS_KEY_ID, c.accessKeyId());
    d.put(SECRET_ACCESS_KEY, c.secretAccessKey());
    d.put(ENDPOINT_URL, c.endpointUrl());
    d.put(REGION, c.region());
    d.put(DEFAULT_REGION, c.region());
    d.put(CONFIG_FILE, c.mounted(AWS_CONFIG));
    d.put(S3_ENDPOINT, c.endpoint());
    if (c.port() != null) {
      d.put(S3_PORT, String.valueOf(c.port()));
    }
    d.put(S3_ADDRESSING_STYLE, c.addressingStyle());
    if (c.bucket() != null) {
      d.put(S3_BUCKET, c.bucket());
    }
    d.put(S3_LOCATOR_PATTERN, c.locatorPattern());
    if (c.publicEndpointUrl() != null) {
      d.put(S3_PUBLIC_ENDPOINT_URL, c.publicEndpointUrl());
    }
    if (c.caPem() != null) {
      d.put(CA_BUNDLE, c.mounted(CA_CRT));
      d.put(NODE_EXTRA_CA_CERTS, c.mounted(CA_CRT));
      d.put(
          JAVA_TOOL_OPTIONS,
          "-Djavax.net.ssl.trustStore="
              + c.mounted(TrustStore.FILE)
              + " -Djavax.net.ssl.trustStoreType=PKCS12");
      d.put(CA_CRT, c.caPem());
    } else {
      // Present without a CA too, so that one pod spec ($(S3_JAVA_TOOL_OPTIONS) in
      // JAVA_TOOL_OPTIONS) fits every store: Kubernetes leaves a reference to a missing variable
      // as it is, and a JVM refuses to start on "$(S3_JAVA_TOOL_OPTIONS)".
      d.put(JAVA_TOOL_OPTIONS, NO_TRUST_STORE);
    }
    d.put(AWS_CONFIG, awsConfig(c.addressingStyle()));
    ObjectNode json = JSON.createObjectNode();
    d.forEach(
        (k, v) -> {
          if (!NOT_IN_JSON.contains(k)) {
            json.put(k, v);
          }
        });
    try {
      d.put(INTEGRATION_JSON, JSON.writeValueAsString(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render integration.json", e);
    }
    return d;
  }

  /**
   * The AWS shared config file: what botocore (boto3, the AWS CLI) reads only from there. The S3
   * addressing style, and SigV4 for presigned URLs: in us-east-1 botocore otherwise presigns with
   * the legacy signature ({@code AWSAccessKeyId=...&Signature=...}), which SigV4-only storage
   * refuses. Everything else comes from the environment.
   */
  static String awsConfig(String addressingStyle) {
    return "[default]\ns3 =\n    addressing_style = "
        + addressingStyle
        + "\n    signature_version = s3v4\n";
  }

  /** The owner reference that ties the Secret's lifetime to the integration. */
  public static OwnerReference ownerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** True when the Secret (or ConfigMap) is controlled by this owner (same UID). */
  public static boolean isOwnedBy(HasMetadata secret, HasMetadata owner) {
    return secret.getMetadata().getOwnerReferences() != null
        && secret.getMetadata().getOwnerReferences().stream()
            .anyMatch(r -> Objects.equals(r.getUid(), owner.getMetadata().getUid()));
  }

  /** A decoded value of the Secret, if present. */
  public static Optional<String> value(Secret secret, String key) {
    if (secret == null) {
      return Optional.empty();
    }
    if (secret.getData() != null && secret.getData().get(key) != null) {
      try {
        return Optional.of(
            new String(
                Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    if (secret.getStringData() != null) {
      return Optional.ofNullable(secret.getStringData().get(key));
    }
    return Optional.empty();
  }

  private static Map<String, String> encode(Map<String, String> plain) {
    Map<String, String> out = new TreeMap<>();
    plain.forEach(
        (k, v) ->
            out.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return out;
  }
}
