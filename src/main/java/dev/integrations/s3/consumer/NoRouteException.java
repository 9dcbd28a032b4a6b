package dev.integrations.s3.consumer;

import java.util.List;

/** No usable resolved-config Secret in the namespace serves the locator. */
public class NoRouteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String namespace;
  private final String locator;
  private final List<String> patterns;

  public NoRouteException(
      String namespace,
      S3Locator locator,
      List<String> patterns,
      List<RoutingTable.Skipped> skipped) {
    super(message(namespace, locator, patterns, skipped));
    this.namespace = namespace;
    this.locator = locator.toString();
    this.patterns = List.copyOf(patterns);
  }

  private static String message(
      String namespace,
      S3Locator locator,
      List<String> patterns,
      List<RoutingTable.Skipped> skipped) {
    StringBuilder m =
        new StringBuilder("no S3Integration in namespace \"")
            .append(namespace)
            .append("\" serves ")
            .append(locator)
            .append("; patterns served there: ")
            .append(patterns.isEmpty() ? "none" : String.join(", ", patterns));
    if (!skipped.isEmpty()) {
      m.append("; resolved-config Secrets skipped: ");
      for (int i = 0; i < skipped.size(); i++) {
        RoutingTable.Skipped s = skipped.get(i);
        m.append(i == 0 ? "" : "; ")
            .append(s.secretName())
            .append(" (")
            .append(s.reason())
            .append(')');
      }
    }
    return m.toString();
  }

  public String namespace() {
    return namespace;
  }

  public String locator() {
    return locator;
  }

  /** The locator patterns the namespace does serve. */
  public List<String> patterns() {
    return patterns;
  }
}
