package dev.integrations.s3.api.v1alpha1;

/** Names shared by all four kinds and by the objects the operator writes. */
public final class ApiGroup {
  public static final String GROUP = "s3.integrations.dev";
  public static final String VERSION = "v1alpha1";

  /** The kubectl category of every kind: {@code kubectl get s3} lists them all. */
  public static final String CATEGORY = "s3";

  /** Finalizer that guards clean-up of the MinIO user and policy. */
  public static final String FINALIZER = GROUP + "/cleanup";

  /** Finalizer that keeps a store while integrations use it. */
  public static final String STORE_FINALIZER = GROUP + "/store-protection";

  /** {@code "true"} stops every write the operator would make for that resource. */
  public static final String PAUSED_ANNOTATION = GROUP + "/paused";

  /** Rotate the managed key now: any value not acted on yet triggers one rotation. */
  public static final String ROTATE_ANNOTATION = GROUP + "/rotate";

  /**
   * Verify access now: any value not acted on yet runs one verification at the next reconcile, at
   * least {@code VerificationSchedule.REQUEST_SPACING} after the last one; {@code
   * status.lastVerifyRequest} records the value acted on.
   */
  public static final String VERIFY_ANNOTATION = GROUP + "/verify";

  /** {@code "true"} releases the finalizer without cleaning up storage. */
  public static final String SKIP_CLEANUP_ANNOTATION = GROUP + "/skip-cleanup";

  /**
   * An S3 bucket name as a pattern that both Java and the API server (Go RE2, no look-around)
   * understand: 3 to 63 characters, lower-case letters, digits, dots and hyphens, starting and
   * ending with a letter or digit. The rules a pattern without look-around cannot express are the
   * CEL rules below; together they are {@code policy.BucketNames}, the one bucket-name rule, as the
   * API server applies it to every bucket field.
   */
  public static final String BUCKET_NAME_PATTERN = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$";

  public static final String BUCKET_DOTS_RULE = "!self.contains('..')";
  public static final String BUCKET_DOTS_MESSAGE =
      "bucket name must not contain two adjacent periods";
  public static final String BUCKET_IP_RULE =
      "!self.matches('^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$')";
  public static final String BUCKET_IP_MESSAGE =
      "bucket name must not be formatted as an IP address";
  public static final String BUCKET_RESERVED_RULE =
      "!['xn--', 'sthree-', 'amzn-s3-demo-'].exists(p, self.startsWith(p))"
          + " && !['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']"
          + ".exists(x, self.endsWith(x))";
  public static final String BUCKET_RESERVED_MESSAGE =
      "bucket name must not start with a reserved prefix (xn--, sthree-, amzn-s3-demo-) or end"
          + " with a reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)";

  /**
   * A host name or IPv4 address without scheme, port or path: dot-separated labels of 1 to 63
   * letters, digits and hyphens.
   */
  public static final String HOST_PATTERN =
      "^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$";

  /** An IPv6 address literal, without brackets (the operator adds them in URLs). */
  public static final String IPV6_PATTERN = "^[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*$";

  /** What an endpoint field accepts: a host name, an IPv4 or an IPv6 address. */
  public static final String ENDPOINT_PATTERN = HOST_PATTERN + "|" + IPV6_PATTERN;

  /** A prefix for the names of managed MinIO users (and their policies); may be empty. */
  /**
   * A browser-facing base URL: {@code http(s)://} and a host name, IPv4 or bracketed IPv6 address,
   * an optional port, nothing after it.
   */
  public static final String PUBLIC_ENDPOINT_PATTERN =
      "^https?://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
          + "|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?$";

  public static final String USER_PREFIX_PATTERN = "^[A-Za-z0-9._@-]*$";

  /** A bucket-name glob of an allow rule: bucket characters plus the wildcards * and ?. */
  public static final String BUCKET_GLOB_PATTERN = "^[a-z0-9.*?-]{1,63}$";

  /** A Kubernetes object name (DNS-1123 subdomain). */
  public static final String OBJECT_NAME_PATTERN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A key in a Secret's data. */
  public static final String SECRET_KEY_PATTERN = "^[-._a-zA-Z0-9]+$";

  private ApiGroup() {}
}
