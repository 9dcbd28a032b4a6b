package dev.integrations.s3.consumer;

/**
 * The names the resolved-config Secret contract uses: labels and data keys. Kept here, rather than
 * imported from the operator, so that the resolver stays standalone; a unit test checks they agree
 * with the operator's writer.
 */
public final class ResolverKeys {
  private ResolverKeys() {}

  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "s3-integration-operator";
  public static final String INTEGRATION_LABEL = "s3.integrations.dev/integration";
  public static final String SCOPE_LABEL = "s3.integrations.dev/scope";
  public static final String SCOPE_ALL_BUCKETS = "all-buckets";
  public static final String SCOPE_BUCKET = "bucket";

  public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  public static final String ENDPOINT_URL = "AWS_ENDPOINT_URL";
  public static final String REGION = "AWS_REGION";
  public static final String S3_ENDPOINT = "S3_ENDPOINT";
  public static final String S3_PORT = "S3_PORT";
  public static final String S3_ADDRESSING_STYLE = "S3_ADDRESSING_STYLE";
  public static final String S3_BUCKET = "S3_BUCKET";
  public static final String S3_LOCATOR_PATTERN = "S3_LOCATOR_PATTERN";
  public static final String S3_PUBLIC_ENDPOINT_URL = "S3_PUBLIC_ENDPOINT_URL";
  public static final String CA_CRT = "ca.crt";
  public static final String INTEGRATION_JSON = "integration.json";

  /** Kind and API group of the owning custom resource. */
  public static final String INTEGRATION_KIND = "S3Integration";

  public static final String API_GROUP = "s3.integrations.dev";
}
