package dev.integrations.s3.config;

import dev.integrations.s3.api.v1alpha1.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The operator's settings, read once from the environment at start-up and passed down; nothing in a
 * reconcile reads the environment.
 *
 * @param watchNamespaces namespaces to watch; empty means all
 * @param defaultVerificationInterval re-verification interval when a resource sets none
 * @param httpPort port of {@code /metrics} (0 disables it)
 * @param probePort port of {@code /healthz} and {@code /readyz}, apart from the metrics so that
 *     neither a scrape nor a client of the metrics port can hold up the kubelet's probes (0
 *     disables them)
 * @param logFormat {@code text} or {@code json}
 * @param leaderElection whether to take a lease before reconciling
 * @param leaderElectionNamespace namespace of the lease (empty: the client's namespace)
 * @param leaseDuration how long a lease is valid without renewal (renew deadline 2/3 of it)
 * @param leaderElectionIdentity this instance's identity in the lease (empty: the host name)
 * @param reconcileThreads concurrent reconciles
 * @param operatorNamespace the operator's own namespace: ClusterS3Store admin and CA Secrets and
 *     the ownership records live there (empty: the client's namespace)
 * @param consumerMountPath where consumers mount the output Secret: the file paths the Secret's
 *     keys name ({@code AWS_CA_BUNDLE}, {@code AWS_CONFIG_FILE}, the JVM trust store) start here
 * @param adminBodyEncryption how MinIO admin request bodies that carry a new secret are encrypted:
 *     {@code pbkdf2} (madmin's PBKDF2-SHA256, what MinIO's FIPS builds send; milliseconds) or
 *     {@code argon2id} (64 MiB and 0.1 to 0.25 s of CPU per call on each side); see the README
 * @param leaseName name of the leader-election Lease; releases that share a namespace (shards) each
 *     need their own
 * @param clusterStoreController whether this instance reconciles ClusterS3Stores (their checks,
 *     status and in-use finalizer). Exactly one operator in a cluster should: shards of one
 *     platform turn it off in all releases but one, and keep reading ClusterS3Stores for their
 *     integrations
 * @param s3StoreAllowedCidrs the addresses tenants' S3Stores may connect to (empty: any but
 *     link-local, special, the API server and, in a pod, loopback; see {@code EndpointGuard})
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    Duration defaultVerificationInterval,
    int httpPort,
    int probePort,
    LogFormat logFormat,
    boolean leaderElection,
    String leaderElectionNamespace,
    Duration leaseDuration,
    String leaderElectionIdentity,
    int reconcileThreads,
    String operatorNamespace,
    String consumerMountPath,
    String adminBodyEncryption,
    String leaseName,
    boolean clusterStoreController,
    java.util.List<String> s3StoreAllowedCidrs) {

  /** Log output format. */
  public enum LogFormat {
    TEXT,
    JSON
  }

  public static final String WATCH_NAMESPACES = "WATCH_NAMESPACES";
  public static final String VERIFICATION_INTERVAL = "VERIFICATION_INTERVAL";
  public static final String HTTP_PORT = "HTTP_PORT";
  public static final String PROBE_PORT = "PROBE_PORT";
  public static final String LOG_FORMAT = "LOG_FORMAT";
  public static final String LEADER_ELECTION = "LEADER_ELECTION";
  public static final String LEADER_ELECTION_NAMESPACE = "LEADER_ELECTION_NAMESPACE";
  public static final String LEADER_ELECTION_LEASE_DURATION = "LEADER_ELECTION_LEASE_DURATION";
  public static final String LEADER_ELECTION_IDENTITY = "LEADER_ELECTION_IDENTITY";
  public static final String RECONCILE_THREADS = "RECONCILE_THREADS";
  public static final String OPERATOR_NAMESPACE = "OPERATOR_NAMESPACE";
  public static final String CONSUMER_MOUNT_PATH = "CONSUMER_MOUNT_PATH";
  public static final String ADMIN_BODY_ENCRYPTION = "ADMIN_BODY_ENCRYPTION";
  public static final String LEADER_ELECTION_LEASE_NAME = "LEADER_ELECTION_LEASE_NAME";
  public static final String CLUSTER_STORE_CONTROLLER = "CLUSTER_STORE_CONTROLLER";
  public static final String S3STORE_ALLOWED_CIDRS = "S3STORE_ALLOWED_CIDRS";

  /** The Lease's name when LEADER_ELECTION_LEASE_NAME is not set. */
  public static final String DEFAULT_LEASE_NAME = "s3-integration-operator";

  /** The documented mount convention (docs/consumers.md). */
  public static final String DEFAULT_CONSUMER_MOUNT_PATH = "/var/run/s3-integration";

  public OperatorConfig {
    watchNamespaces = Set.copyOf(watchNamespaces);
    s3StoreAllowedCidrs = java.util.List.copyOf(s3StoreAllowedCidrs);
  }

  /**
   * Defaults for everything: all namespaces, 10m verification, metrics on port 8080, probes on
   * 8081, text logs.
   */
  public static OperatorConfig defaults() {
    return fromEnv(Map.of());
  }

  /**
   * Reads the settings from an environment map.
   *
   * @throws IllegalArgumentException naming the variable and the accepted form when a value is bad
   */
  public static OperatorConfig fromEnv(Map<String, String> env) {
    int httpPort = parseInt(HTTP_PORT, env.getOrDefault(HTTP_PORT, "8080"), 0, 65535);
    int probePort = parseInt(PROBE_PORT, env.getOrDefault(PROBE_PORT, "8081"), 0, 65535);
    if (httpPort != 0 && httpPort == probePort) {
      throw new IllegalArgumentException(
          PROBE_PORT
              + "=\""
              + probePort
              + "\" must differ from "
              + HTTP_PORT
              + " (the metrics port)");
    }
    return new OperatorConfig(
        namespaces(env.getOrDefault(WATCH_NAMESPACES, "")),
        parseDuration(VERIFICATION_INTERVAL, env.getOrDefault(VERIFICATION_INTERVAL, "10m")),
        httpPort,
        probePort,
        parseLogFormat(env.getOrDefault(LOG_FORMAT, "text")),
        parseBoolean(LEADER_ELECTION, env.getOrDefault(LEADER_ELECTION, "false")),
        env.getOrDefault(LEADER_ELECTION_NAMESPACE, "").trim(),
        parseDuration(
            LEADER_ELECTION_LEASE_DURATION,
            env.getOrDefault(LEADER_ELECTION_LEASE_DURATION, "15s")),
        env.getOrDefault(LEADER_ELECTION_IDENTITY, "").trim(),
        parseInt(RECONCILE_THREADS, env.getOrDefault(RECONCILE_THREADS, "10"), 1, 200),
        env.getOrDefault(OPERATOR_NAMESPACE, "").trim(),
        parseMountPath(env.getOrDefault(CONSUMER_MOUNT_PATH, DEFAULT_CONSUMER_MOUNT_PATH)),
        parseBodyEncryption(env.getOrDefault(ADMIN_BODY_ENCRYPTION, "pbkdf2")),
        parseLeaseName(env.getOrDefault(LEADER_ELECTION_LEASE_NAME, DEFAULT_LEASE_NAME)),
        parseBoolean(CLUSTER_STORE_CONTROLLER, env.getOrDefault(CLUSTER_STORE_CONTROLLER, "true")),
        Arrays.stream(env.getOrDefault(S3STORE_ALLOWED_CIDRS, "").split(","))
            .map(String::trim)
            .filter(c -> !c.isEmpty())
            .toList());
  }

  /** The same settings in another operator namespace. */
  public OperatorConfig withOperatorNamespace(String namespace) {
    return with(namespace, consumerMountPath);
  }

  /** The same settings with another consumer mount path. */
  public OperatorConfig withConsumerMountPath(String path) {
    return with(operatorNamespace, parseMountPath(path));
  }

  private OperatorConfig with(String namespace, String mountPath) {
    return new OperatorConfig(
        watchNamespaces,
        defaultVerificationInterval,
        httpPort,
        probePort,
        logFormat,
        leaderElection,
        leaderElectionNamespace,
        leaseDuration,
        leaderElectionIdentity,
        reconcileThreads,
        namespace,
        mountPath,
        adminBodyEncryption,
        leaseName,
        clusterStoreController,
        s3StoreAllowedCidrs);
  }

  /** A Lease name is a DNS subdomain: lower-case alphanumerics, '-' and '.', at most 253. */
  private static String parseLeaseName(String value) {
    String v = value.trim();
    if (!v.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
      throw new IllegalArgumentException(
          LEADER_ELECTION_LEASE_NAME
              + "=\""
              + value
              + "\" must be a DNS subdomain (lower-case letters, digits, - and ., at most 253)");
    }
    return v;
  }

  private static String parseBodyEncryption(String value) {
    String v = value.trim().toLowerCase();
    if (!v.equals("pbkdf2") && !v.equals("argon2id")) {
      throw new IllegalArgumentException(
          ADMIN_BODY_ENCRYPTION + "=\"" + value + "\" must be pbkdf2 or argon2id");
    }
    return v;
  }

  /**
   * An absolute path of plain characters: it goes unquoted into a JVM option and a config file, so
   * no spaces, quotes or {@code $}.
   */
  static String parseMountPath(String value) {
    String v = value.trim();
    if (!v.matches("/[A-Za-z0-9._/-]{0,199}") || v.contains("//") || v.contains("/../")) {
      throw new IllegalArgumentException(
          CONSUMER_MOUNT_PATH
              + "=\""
              + value
              + "\" must be an absolute path of letters, digits and . _ - / (at most 200)");
    }
    return v.length() > 1 && v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
  }

  /** True when every namespace is watched. */
  public boolean watchesAllNamespaces() {
    return watchNamespaces.isEmpty();
  }

  private static Set<String> namespaces(String value) {
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Parses a duration in the API's format (see {@link Durations}), naming the variable. */
  public static Duration parseDuration(String name, String value) {
    Duration d;
    try {
      d = Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + "=" + e.getMessage());
    }
    if (d.isZero()) {
      throw new IllegalArgumentException(name + "=\"" + value + "\" must be longer than zero");
    }
    return d;
  }

  private static int parseInt(String name, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + "=\"" + value + "\" must be a whole number from " + min + " to " + max);
    }
  }

  private static boolean parseBoolean(String name, String value) {
    return switch (value.trim().toLowerCase()) {
      case "true" -> true;
      case "false", "" -> false;
      default ->
          throw new IllegalArgumentException(name + "=\"" + value + "\" must be true or false");
    };
  }

  private static LogFormat parseLogFormat(String value) {
    return switch (value.trim().toLowerCase()) {
      case "text", "" -> LogFormat.TEXT;
      case "json" -> LogFormat.JSON;
      default ->
          throw new IllegalArgumentException(
              LOG_FORMAT + "=\"" + value + "\" must be text or json");
    };
  }
}
