package dev.integrations.s3.consumer;

import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What one resolved-config Secret says: which locators it serves and how to reach the storage with
 * its keys. {@link #toString()} never shows the secret key.
 *
 * @param namespace namespace of the Secret
 * @param secretName name of the Secret
 * @param integration the S3Integration it belongs to (its label), or null when unlabelled
 * @param bucket the one bucket it is scoped to, or null for the default (all-buckets) route
 * @param accessKeyId access key
 * @param secretAccessKey secret key (never logged)
 * @param endpointUrl {@code http(s)://host[:port]}
 * @param region signing region
 * @param addressingStyle path or virtual-host style
 * @param locatorPattern {@code s3://<bucket>/*} or {@code s3://*}
 * @param caPem PEM CA bundle to trust for this endpoint, or null
 * @param publicEndpointUrl the browser-facing {@code http(s)://host[:port]} presigned URLs name, or
 *     null to name {@code endpointUrl}
 */
public record Route(
    String namespace,
    String secretName,
    String integration,
    String bucket,
    String accessKeyId,
    String secretAccessKey,
    URI endpointUrl,
    String region,
    AddressingStyle addressingStyle,
    String locatorPattern,
    String caPem,
    URI publicEndpointUrl) {

  /** How bucket names go into request URLs. */
  public enum AddressingStyle {
    /** {@code https://host/bucket/key} */
    PATH,
    /** {@code https://bucket.host/key} */
    VIRTUAL;

    static AddressingStyle parse(String value) {
      return switch (value) {
        case "path" -> PATH;
        case "virtual" -> VIRTUAL;
        default -> throw new IllegalArgumentException("must be \"path\" or \"virtual\"");
      };
    }
  }

  public Route {
    Objects.requireNonNull(secretName, "secretName");
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    Objects.requireNonNull(endpointUrl, "endpointUrl");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(addressingStyle, "addressingStyle");
    Objects.requireNonNull(locatorPattern, "locatorPattern");
  }

  /**
   * Reads a resolved-config Secret.
   *
   * @throws IllegalArgumentException when the Secret does not follow the contract; the message
   *     names the Secret and the key, never a value of it
   */
  public static Route fromSecret(Secret secret) {
    Objects.requireNonNull(secret, "secret");
    String name = secret.getMetadata() == null ? null : secret.getMetadata().getName();
    if (name == null) {
      throw new IllegalArgumentException("a resolved-config Secret has no name");
    }
    String namespace = secret.getMetadata().getNamespace();
    Map<String, String> labels = secret.getMetadata().getLabels();
    String integration = labels == null ? null : labels.get(ResolverKeys.INTEGRATION_LABEL);
    String scopeLabel = labels == null ? null : labels.get(ResolverKeys.SCOPE_LABEL);

    String accessKey = required(secret, ResolverKeys.ACCESS_KEY_ID);
    String secretKey = required(secret, ResolverKeys.SECRET_ACCESS_KEY);
    URI endpoint =
        endpointUrl(secret, ResolverKeys.ENDPOINT_URL, required(secret, ResolverKeys.ENDPOINT_URL));
    String region = required(secret, ResolverKeys.REGION);
    AddressingStyle style;
    try {
      style = AddressingStyle.parse(required(secret, ResolverKeys.S3_ADDRESSING_STYLE));
    } catch (IllegalArgumentException e) {
      throw invalid(secret, ResolverKeys.S3_ADDRESSING_STYLE + " " + e.getMessage());
    }
    String bucket = value(secret, ResolverKeys.S3_BUCKET);
    if (bucket != null && !S3Locator.isValidBucketName(bucket)) {
      throw invalid(secret, ResolverKeys.S3_BUCKET + " is not a valid bucket name");
    }
    String pattern = required(secret, ResolverKeys.S3_LOCATOR_PATTERN);
    String expected = bucket == null ? "s3://*" : "s3://" + bucket + "/*";
    if (!pattern.equals(expected)) {
      throw invalid(
          secret,
          ResolverKeys.S3_LOCATOR_PATTERN
              + " is \""
              + pattern
              + "\" but "
              + (bucket == null
                  ? "there is no " + ResolverKeys.S3_BUCKET
                  : "the bucket is " + bucket)
              + ", so it must be \""
              + expected
              + "\"");
    }
    if (scopeLabel != null) {
      String expectedScope =
          bucket == null ? ResolverKeys.SCOPE_ALL_BUCKETS : ResolverKeys.SCOPE_BUCKET;
      if (!scopeLabel.equals(expectedScope)) {
        throw invalid(
            secret,
            "label "
                + ResolverKeys.SCOPE_LABEL
                + "="
                + scopeLabel
                + " disagrees with "
                + ResolverKeys.S3_LOCATOR_PATTERN
                + "="
                + pattern);
      }
    }
    String ca = value(secret, ResolverKeys.CA_CRT);
    String publicValue = value(secret, ResolverKeys.S3_PUBLIC_ENDPOINT_URL);
    URI publicEndpoint =
        publicValue == null || publicValue.isBlank()
            ? null
            : endpointUrl(secret, ResolverKeys.S3_PUBLIC_ENDPOINT_URL, publicValue);
    return new Route(
        namespace,
        name,
        integration,
        bucket,
        accessKey,
        secretKey,
        endpoint,
        region,
        style,
        pattern,
        ca == null || ca.isBlank() ? null : ca,
        publicEndpoint);
  }

  /** True when this is the namespace's default route, serving every bucket. */
  public boolean isDefault() {
    return bucket == null;
  }

  /** True when this route's pattern covers the locator. */
  public boolean serves(S3Locator locator) {
    return bucket == null || bucket.equals(locator.bucket());
  }

  /** True when the endpoint is https. */
  public boolean tls() {
    return "https".equals(endpointUrl.getScheme());
  }

  /** Redacted: the secret key is never shown. */
  @Override
  public String toString() {
    return "Route[secret="
        + namespace
        + "/"
        + secretName
        + ", integration="
        + integration
        + ", pattern="
        + locatorPattern
        + ", endpointUrl="
        + endpointUrl
        + ", region="
        + region
        + ", addressingStyle="
        + addressingStyle.name().toLowerCase(Locale.ROOT)
        + (publicEndpointUrl == null ? "" : ", publicEndpointUrl=" + publicEndpointUrl)
        + ", accessKeyId="
        + accessKeyId
        + ", secretAccessKey=<redacted>, ca="
        + (caPem == null ? "none" : "present")
        + "]";
  }

  private static URI endpointUrl(Secret secret, String key, String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw invalid(secret, key + " is not a URL");
    }
    boolean schemeOk = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
    boolean bare =
        (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
            && uri.getRawQuery() == null
            && uri.getRawFragment() == null
            && uri.getRawUserInfo() == null;
    if (!schemeOk || uri.getHost() == null || !bare) {
      throw invalid(secret, key + " \"" + value + "\" is not of the form http(s)://host[:port]");
    }
    return uri;
  }

  private static String required(Secret secret, String key) {
    String v = value(secret, key);
    if (v == null || v.isBlank()) {
      throw invalid(secret, "key " + key + " is missing or empty");
    }
    return v;
  }

  /** A decoded value of the Secret (data first, then stringData), or null. */
  static String value(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().get(key) != null) {
      try {
        return new String(
            Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw invalid(secret, "key " + key + " is not valid base64");
      }
    }
    if (secret.getStringData() != null) {
      return secret.getStringData().get(key);
    }
    return null;
  }

  private static IllegalArgumentException invalid(Secret secret, String why) {
    return new IllegalArgumentException(
        "Secret "
            + secret.getMetadata().getNamespace()
            + "/"
            + secret.getMetadata().getName()
            + " is not a valid resolved-config Secret: "
            + why);
  }
}
