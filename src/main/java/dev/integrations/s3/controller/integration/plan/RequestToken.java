package dev.integrations.s3.controller.integration.plan;

import dev.integrations.s3.naming.Names;

/**
 * The value of a request annotation ({@code rotate}, {@code verify}) as the operator keeps it: the
 * value itself when short, else {@code sha256:} and 16 hex characters of its hash. Only whether it
 * changed matters, and the operator copies it into status and the Secret's annotations: a tenant's
 * 200 KB value must not become 200 KB in every copy (and in the operator's caches of them).
 */
public final class RequestToken {
  private RequestToken() {}

  /** The longest value kept as it is. */
  public static final int MAX_KEPT = 64;

  /** The token of an annotation's value; null when absent or blank. */
  public static String of(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return value.length() <= MAX_KEPT ? value : "sha256:" + Names.sha256Hex(value).substring(0, 16);
  }
}
