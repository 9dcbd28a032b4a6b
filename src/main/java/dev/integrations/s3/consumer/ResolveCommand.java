package dev.integrations.s3.consumer;

import dev.integrations.s3.api.v1alpha1.Durations;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * {@code resolve --namespace <ns> [--expiry 15m] [--no-ready-check] s3://bucket/key}: prints a
 * presigned GET URL for the object, alone, on stdout. Uses the current kubeconfig. Exit codes: 0
 * success, 2 usage or malformed locator, 3 no integration serves the locator, 1 anything else.
 */
public final class ResolveCommand {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int NO_ROUTE = 3;

  public static final String USAGE_LINE =
      "usage: resolve --namespace <ns> [--expiry 15m] [--no-ready-check] s3://bucket/key";

  static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(15);

  private ResolveCommand() {}

  public static void main(String[] args) {
    int code;
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      code = run(args, client, System.out, System.err);
    } catch (RuntimeException e) {
      System.err.println("resolve: cannot set up the Kubernetes client: " + message(e));
      code = FAILURE;
    }
    System.exit(code);
  }

  /** Parsed command line. */
  record Options(String namespace, Duration expiry, boolean requireReady, S3Locator locator) {}

  /**
   * Runs the command.
   *
   * @return the exit code
   */
  public static int run(String[] args, KubernetesClient client, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = parse(args);
    } catch (HelpRequested h) {
      out.println(USAGE_LINE);
      return OK;
    } catch (IllegalArgumentException e) {
      err.println("resolve: " + e.getMessage());
      err.println(USAGE_LINE);
      return USAGE;
    }
    try {
      LocatorResolver resolver =
          LocatorResolver.fromCluster(client, options.namespace(), options.requireReady());
      out.println(resolver.presign(options.locator(), options.expiry()));
      out.flush();
      return OK;
    } catch (NoRouteException e) {
      err.println("resolve: " + e.getMessage());
      return NO_ROUTE;
    } catch (IllegalArgumentException e) {
      err.println("resolve: " + e.getMessage());
      return USAGE;
    } catch (RuntimeException e) {
      err.println("resolve: " + message(e));
      return FAILURE;
    }
  }

  private static final class HelpRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HelpRequested() {
      super(null, null, false, false);
    }
  }

  static Options parse(String[] args) {
    if (args == null) {
      args = new String[0];
    }
    String namespace = null;
    Duration expiry = DEFAULT_EXPIRY;
    boolean requireReady = true;
    String locator = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String inlineValue = null;
      if (a.startsWith("--") && a.contains("=")) {
        inlineValue = a.substring(a.indexOf('=') + 1);
        a = a.substring(0, a.indexOf('='));
      }
      switch (a) {
        case "-h", "--help" -> throw new HelpRequested();
        case "-n", "--namespace" -> {
          if (namespace != null) {
            throw new IllegalArgumentException("--namespace given twice");
          }
          namespace = inlineValue != null ? inlineValue : value(args, ++i, a);
          if (namespace.isBlank()) {
            throw new IllegalArgumentException("--namespace must not be empty");
          }
        }
        case "--expiry" ->
            expiry = duration(inlineValue != null ? inlineValue : value(args, ++i, a));
        case "--no-ready-check" -> {
          if (inlineValue != null) {
            throw new IllegalArgumentException("--no-ready-check takes no value");
          }
          requireReady = false;
        }
        default -> {
          if (a.startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + args[i]);
          }
          if (locator != null) {
            throw new IllegalArgumentException(
                "exactly one locator expected, got \"" + locator + "\" and \"" + a + "\"");
          }
          locator = a;
        }
      }
    }
    if (namespace == null) {
      throw new IllegalArgumentException("--namespace is required");
    }
    if (locator == null) {
      throw new IllegalArgumentException("no locator given");
    }
    LocatorResolver.checkExpiry(expiry);
    return new Options(namespace, expiry, requireReady, S3Locator.parse(locator));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  /** {@code 90s}, {@code 15m}, {@code 1h30m}, {@code 7d}, or ISO-8601 such as {@code PT15M}. */
  static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("p")) {
      try {
        return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw badDuration(text);
      }
    }
    try {
      return Durations.parse(t);
    } catch (IllegalArgumentException e) {
      throw badDuration(text);
    }
  }

  private static IllegalArgumentException badDuration(String text) {
    return new IllegalArgumentException(
        "--expiry \"" + text + "\" is not a duration (examples: 90s, 15m, 1h30m, 7d, PT15M)");
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
