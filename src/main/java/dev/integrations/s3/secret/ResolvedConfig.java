package dev.integrations.s3.secret;

/**
 * Everything a consumer needs to reach the storage with the issued keys: the content of the
 * resolved-config Secret before it is encoded.
 *
 * @param accessKeyId access key of the service user
 * @param secretAccessKey its secret key
 * @param endpointUrl {@code http(s)://host[:port]}
 * @param region signing region
 * @param endpoint host as entered
 * @param port port as entered, or null
 * @param addressingStyle {@code path} or {@code virtual}
 * @param bucket the scoped bucket, or null when the integration applies to all buckets
 * @param caPem CA bundle, or null
 * @param publicEndpointUrl the browser-facing {@code http(s)://host[:port]} presigned URLs name, or
 *     null when browsers use {@code endpointUrl}
 * @param mountPath where consumers mount the Secret (and the trust store ConfigMap): the file paths
 *     in the Secret start here
 */
public record ResolvedConfig(
    String accessKeyId,
    String secretAccessKey,
    String endpointUrl,
    String region,
    String endpoint,
    Integer port,
    String addressingStyle,
    String bucket,
    String caPem,
    String publicEndpointUrl,
    String mountPath) {

  /** {@code s3://<bucket>/*} or {@code s3://*}. */
  public String locatorPattern() {
    return bucket == null ? "s3://*" : "s3://" + bucket + "/*";
  }

  /** A path under the mount. */
  public String mounted(String file) {
    return mountPath + "/" + file;
  }

  /** Redacted, so that a stray log line cannot leak the secret key. */
  @Override
  public String toString() {
    return "ResolvedConfig[accessKeyId="
        + AccessKeys.shown(accessKeyId).orElse("<not shown>")
        + ", endpointUrl="
        + endpointUrl
        + ", region="
        + region
        + ", bucket="
        + bucket
        + ", publicEndpointUrl="
        + publicEndpointUrl
        + ", secretAccessKey=<redacted>]";
  }
}
