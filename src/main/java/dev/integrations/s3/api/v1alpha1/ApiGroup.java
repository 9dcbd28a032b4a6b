package dev.integrations.s3.api.v1alpha1;

/** Names shared by both resources and by the objects the operator writes. */
public final class ApiGroup {
  public static final String GROUP = "s3.integrations.dev";
  public static final String VERSION = "v1alpha1";

  /** Finalizer that guards clean-up of the MinIO user and policy. */
  public static final String FINALIZER = GROUP + "/cleanup";

  /** {@code "true"} stops every write the operator would make for that resource. */
  public static final String PAUSED_ANNOTATION = GROUP + "/paused";

  /** {@code "true"} releases the finalizer without cleaning up storage. */
  public static final String SKIP_CLEANUP_ANNOTATION = GROUP + "/skip-cleanup";

  /**
   * Regular expression for an S3 bucket name that both Java and the API server (Go RE2, no
   * look-around) understand: 3 to 63 characters, lower-case letters, digits, dots and hyphens,
   * starting and ending with a letter or digit. The rules a regular expression without look-around
   * cannot express well (no "..", no IP-address form, reserved prefixes and suffixes) are CEL rules
   * on the field, see {@link BucketAccess#name}.
   */
  public static final String BUCKET_NAME_PATTERN = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$";

  /** A Kubernetes object name (DNS-1123 subdomain). */
  public static final String OBJECT_NAME_PATTERN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A key in a Secret's data. */
  public static final String SECRET_KEY_PATTERN = "^[-._a-zA-Z0-9]+$";

  private ApiGroup() {}
}
