package dev.integrations.s3.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's {@code Main} in a JVM of its own, as the chart runs it: its heap, its
 * -XX:+ExitOnOutOfMemoryError, a GC log to read the peak heap from. It can be killed (SIGKILL) and
 * started again; its output goes to a log file under target/.
 */
public final class OperatorProcess implements AutoCloseable {
  /** The chart's heap: 60 % (MaxRAMPercentage) of its 640 MiB memory limit. */
  public static final String CHART_HEAP = "384m";

  /**
   * The chart's memory limit. In its pod the JVM takes the limit for the machine's memory: the heap
   * starts at 1/64 of it and grows only as the live set needs. {@code -XX:MaxRAM} gives this JVM
   * the same view; with {@code -Xmx} alone on a 24 GiB machine the heap would start at its maximum
   * (1/64 of 24 GiB is 384 MiB), and the RSS measured would be a pod's worst case, not its own.
   */
  public static final String CHART_MEMORY = "640m";

  /** The chart's JAVA_TOOL_OPTIONS heap setting; with {@link #CHART_MEMORY}, a 384 MiB heap. */
  public static final String CHART_RAM_PERCENTAGE = "-XX:MaxRAMPercentage=60";

  /**
   * The chart's collector. The JVM would pick it by itself in a pod under 1,792 MiB, but not on a
   * larger test machine, where it picks G1 (45 MiB of native memory for its own structures at this
   * heap, scripts/bench with native memory tracking).
   */
  public static final String CHART_GC = "-XX:+UseSerialGC";

  private static final Pattern GC_PAUSE = Pattern.compile("\\) (\\d+)M->(\\d+)M\\((\\d+)M\\)");

  private final Path kubeconfig;
  private final Map<String, String> env;
  private final String heap;
  private final Path dir;
  private final int port = MinioServer.freePort(); // HTTP_PORT: /metrics
  private final int probePort = freePortBut(port); // PROBE_PORT: /healthz, /readyz
  private final List<Path> gcLogs = new ArrayList<>();
  private Process process;
  private int starts;

  public OperatorProcess(Path kubeconfig, Map<String, String> env, String heap, String name)
      throws IOException {
    this.kubeconfig = kubeconfig;
    this.env = Map.copyOf(env);
    this.heap = heap;
    this.dir = Files.createDirectories(Path.of("target", "operator-process", name));
    try (var old = Files.list(dir)) {
      for (Path f : old.toList()) {
        Files.delete(f); // logs of an earlier run: this run's evidence only
      }
    }
  }

  /** Starts a new JVM and waits until it reports started (readyz 200). */
  public synchronized void start() throws Exception {
    starts++;
    Path gcLog = dir.resolve("gc-" + starts + ".log");
    gcLogs.add(gcLog);
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    if (heap.equals(CHART_HEAP)) {
      cmd.add("-XX:MaxRAM=" + CHART_MEMORY); // the pod's view of memory: see CHART_MEMORY
      cmd.add(CHART_RAM_PERCENTAGE);
    } else {
      cmd.add("-Xmx" + heap);
    }
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    cmd.add("-Xlog:gc:file=" + gcLog.toAbsolutePath());
    // more JVM options, e.g. to compare collectors in the benchmark: -Doperator.jvmOptions="..."
    // (spaces or commas between them: scripts/bench splits BENCH_JAVA_OPTS on spaces)
    List<String> more = new ArrayList<>();
    for (String option : System.getProperty("operator.jvmOptions", "").trim().split("[\\s,]+")) {
      if (!option.isEmpty()) {
        more.add(option);
      }
    }
    // the chart's collector (JAVA_TOOL_OPTIONS), unless another is asked for
    if (more.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
      cmd.add(CHART_GC);
    }
    cmd.addAll(more);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.integrations.s3.Main");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> e = new HashMap<>(env);
    e.put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    e.put("HTTP_PORT", String.valueOf(port));
    e.put("PROBE_PORT", String.valueOf(probePort));
    pb.environment().putAll(e);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("operator.log").toFile()));
    process = pb.start();
    awaitReadyz(process, probePort, Duration.ofSeconds(90), "the operator (log: " + dir + ")");
  }

  /** A free port other than {@code other}. */
  public static int freePortBut(int other) throws IOException {
    int p;
    do {
      p = MinioServer.freePort();
    } while (p == other);
    return p;
  }

  /**
   * Waits until the operator in {@code process} answers 200 on {@code /readyz} at {@code port} (its
   * PROBE_PORT).
   *
   * @throws IllegalStateException when the process exits first or {@code timeout} passes
   */
  public static void awaitReadyz(Process process, int port, Duration timeout, String what)
      throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(what + " exited with " + process.exitValue());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        what + ": no /readyz 200 on port " + port + " within " + timeout.toSeconds() + " s");
  }

  /** SIGKILL: no shutdown hook, no last write; as the kernel's OOM killer or a node loss would. */
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** The operator JVM's process id (for its RSS, or jcmd). */
  public synchronized long pid() {
    return process.pid();
  }

  /** The operator's resident set size now, in MiB, from /proc. */
  public synchronized long rssMib() throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    throw new IOException("no VmRSS in /proc/" + process.pid() + "/status");
  }

  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  public synchronized int starts() {
    return starts;
  }

  /** The operator's Prometheus text. */
  public String metrics() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /**
   * What the GC logs of every run say.
   *
   * @param pauses collections
   * @param fullCollections full (compacting) collections: the heap was short
   * @param maxAfterFullMiB the most heap still in use after a full collection: the live set at its
   *     largest
   */
  public record GcSummary(int pauses, int fullCollections, long maxAfterFullMiB) {
    @Override
    public String toString() {
      return pauses
          + " collections, "
          + fullCollections
          + " full, live set at most "
          + maxAfterFullMiB
          + " MiB after a full collection";
    }
  }

  public GcSummary gc() throws IOException {
    int pauses = 0;
    int full = 0;
    long maxAfterFull = 0;
    for (Path log : gcLogs) {
      if (!Files.exists(log)) {
        continue;
      }
      for (String line : Files.readAllLines(log)) {
        Matcher m = GC_PAUSE.matcher(line);
        if (m.find()) {
          pauses++;
          if (line.contains("Pause Full")) {
            full++;
            maxAfterFull = Math.max(maxAfterFull, Long.parseLong(m.group(2)));
          }
        }
      }
    }
    return new GcSummary(pauses, full, maxAfterFull);
  }

  /** Lines of the operator's log that say it ran out of memory. */
  public List<String> outOfMemory() throws IOException {
    Path log = dir.resolve("operator.log");
    return Files.exists(log)
        ? Files.readAllLines(log).stream().filter(l -> l.contains("OutOfMemoryError")).toList()
        : List.of();
  }

  /**
   * The operator's ERROR lines (JSON or text log): an event handler that throws, a reconcile that
   * fails unexpectedly. A healthy run has none.
   */
  public List<String> errors() throws IOException {
    Path log = dir.resolve("operator.log");
    return Files.exists(log)
        ? Files.readAllLines(log).stream()
            .filter(l -> l.contains("\"level\":\"ERROR\"") || l.contains(" ERROR "))
            .toList()
        : List.of();
  }

  public Path logFile() {
    return dir.resolve("operator.log");
  }

  /** SIGTERM and wait. */
  @Override
  public synchronized void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
