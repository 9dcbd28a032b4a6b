package dev.integrations.s3.controller.common;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** How errors that reach the SDK are told apart. */
public final class Failures {
  private Failures() {}

  /**
   * Kubernetes API conflicts (409: someone wrote in between), throttling (429), server errors (5xx)
   * and no answer at all (code 0): the next attempt can succeed without any change of input, and
   * consumers of the integration feel none of them.
   */
  public static boolean isControlPlaneBlip(KubernetesClientException e) {
    int code = e.getCode();
    return code == 0 || code == 409 || code == 429 || code >= 500;
  }

  /** The first cause of this type behind an error, however the SDK wrapped it. */
  public static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** The simple class name of the innermost cause, for messages that must not quote secrets. */
  public static String rootType(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }
}
