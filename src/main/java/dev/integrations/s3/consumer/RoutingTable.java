package dev.integrations.s3.consumer;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which resolved-config Secret serves which locators in one namespace. A Secret scoped to a bucket
 * wins over the default (all-buckets) one. The operator allows one default and one per bucket;
 * should there be more, the first by Secret name wins and the others are reported in {@link
 * #skipped()}, as are Secrets that are malformed or not usable.
 */
public final class RoutingTable {

  /** A Secret that is not used, and why. */
  public record Skipped(String secretName, String reason) {}

  private final String namespace;
  private final Route defaultRoute;
  private final Map<String, Route> byBucket;
  private final List<Skipped> skipped;

  private RoutingTable(
      String namespace, Route defaultRoute, Map<String, Route> byBucket, List<Skipped> skipped) {
    this.namespace = namespace;
    this.defaultRoute = defaultRoute;
    this.byBucket = Collections.unmodifiableMap(byBucket);
    this.skipped = List.copyOf(skipped);
  }

  /** A table of these Secrets, all of them considered usable. */
  public static RoutingTable of(String namespace, Collection<Secret> secrets) {
    return of(namespace, secrets, ReadinessCheck.NONE);
  }

  /**
   * A table of these Secrets; each well-formed one is used only when {@code check} allows it.
   *
   * @param namespace the namespace the Secrets were listed in (for messages)
   * @param secrets resolved-config Secrets, in any order
   * @param check asked once per well-formed Secret
   */
  public static RoutingTable of(
      String namespace, Collection<Secret> secrets, ReadinessCheck check) {
    Objects.requireNonNull(check, "check");
    List<Secret> sorted = new ArrayList<>(secrets);
    sorted.sort(Comparator.comparing(RoutingTable::name, Comparator.nullsFirst(String::compareTo)));
    Route defaultRoute = null;
    Map<String, Route> byBucket = new TreeMap<>();
    List<Skipped> skipped = new ArrayList<>();
    for (Secret secret : sorted) {
      String name = name(secret);
      Map<String, String> labels =
          secret.getMetadata() == null ? null : secret.getMetadata().getLabels();
      if (labels == null
          || !ResolverKeys.MANAGED_BY.equals(labels.get(ResolverKeys.MANAGED_BY_LABEL))) {
        skipped.add(
            new Skipped(
                name,
                "not labelled " + ResolverKeys.MANAGED_BY_LABEL + "=" + ResolverKeys.MANAGED_BY));
        continue;
      }
      if (secret.getMetadata().getDeletionTimestamp() != null) {
        skipped.add(new Skipped(name, "being deleted"));
        continue;
      }
      Route route;
      try {
        route = Route.fromSecret(secret);
      } catch (IllegalArgumentException e) {
        skipped.add(new Skipped(name, e.getMessage()));
        continue;
      }
      Optional<String> notUsable = check.whyNotUsable(secret);
      if (notUsable.isPresent()) {
        skipped.add(new Skipped(name, notUsable.get()));
        continue;
      }
      Route winner = route.isDefault() ? defaultRoute : byBucket.get(route.bucket());
      if (winner != null) {
        skipped.add(
            new Skipped(
                name,
                "duplicate: "
                    + route.locatorPattern()
                    + " is already served by Secret "
                    + winner.secretName()
                    + " (the first by name wins)"));
        continue;
      }
      if (route.isDefault()) {
        defaultRoute = route;
      } else {
        byBucket.put(route.bucket(), route);
      }
    }
    return new RoutingTable(namespace, defaultRoute, byBucket, skipped);
  }

  private static String name(Secret s) {
    return s.getMetadata() == null ? null : s.getMetadata().getName();
  }

  /** The route for this locator: the bucket's own if there is one, else the default. */
  public Optional<Route> routeFor(S3Locator locator) {
    Route scoped = byBucket.get(locator.bucket());
    return Optional.ofNullable(scoped != null ? scoped : defaultRoute);
  }

  /**
   * The route for this locator.
   *
   * @throws NoRouteException naming the namespace and the patterns it serves
   */
  public Route require(S3Locator locator) {
    return routeFor(locator)
        .orElseThrow(() -> new NoRouteException(namespace, locator, patterns(), skipped));
  }

  public String namespace() {
    return namespace;
  }

  /** The default (all-buckets) route, if any. */
  public Optional<Route> defaultRoute() {
    return Optional.ofNullable(defaultRoute);
  }

  /** Bucket-scoped routes by bucket name. */
  public Map<String, Route> bucketRoutes() {
    return byBucket;
  }

  /** Every route in use: bucket-scoped ones by bucket, then the default. */
  public List<Route> routes() {
    List<Route> all = new ArrayList<>(byBucket.values());
    if (defaultRoute != null) {
      all.add(defaultRoute);
    }
    return List.copyOf(all);
  }

  /** The locator patterns served, bucket-scoped ones first. */
  public List<String> patterns() {
    return routes().stream().map(Route::locatorPattern).toList();
  }

  /** Secrets not used, with the reason, in name order. */
  public List<Skipped> skipped() {
    return skipped;
  }

  @Override
  public String toString() {
    return "RoutingTable[namespace="
        + namespace
        + ", patterns="
        + patterns()
        + ", skipped="
        + skipped.size()
        + "]";
  }
}
