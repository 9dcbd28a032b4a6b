package dev.integrations.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.testing.MinioServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 21, item 2: clients that connect and never finish their request (or send it a byte a
 * second) must not keep the kubelet's probes from an answer, and the metrics port must not share
 * anything with the probes. What a client sees: raw sockets, requests as the kubelet sends them.
 */
class HealthServerStalledClientsTest {
  private static final Duration PROBE_BUDGET = Duration.ofSeconds(1);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private int metricsPort;
  private int probePort;
  private HealthServer server;

  @BeforeEach
  void start() throws IOException {
    metricsPort = MinioServer.freePort();
    do {
      probePort = MinioServer.freePort();
    } while (probePort == metricsPort);
    server = HealthServer.start(metricsPort, probePort, () -> true, registry);
    server.markStarted();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  /**
   * Half of the attackers send nothing, half one header byte a second; every connection the server
   * closes is opened again at once, as an attacker would. For 8 s (more than two request
   * deadlines), /healthz and /readyz are asked every 200 ms and must answer within 1 s each.
   */
  @ParameterizedTest(name = "{0} stalled connections")
  @ValueSource(ints = {10, 200})
  void probesAnswerWithinOneSecondWhileClientsStall(int stalled) throws Exception {
    try (Stallers attack = new Stallers(probePort, stalled)) {
      Thread.sleep(300); // all connected and accepted
      long slowest = 0;
      int answered = 0;
      long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
      while (System.nanoTime() < end) {
        for (String path : List.of("/healthz", "/readyz")) {
          long t0 = System.nanoTime();
          String answer = get(probePort, path, PROBE_BUDGET);
          long ms = (System.nanoTime() - t0) / 1_000_000;
          assertThat(answer)
              .as("%s with %d stalled connections", path, stalled)
              .startsWith("HTTP/1.1 200 ");
          assertThat(ms).as("%s took %d ms", path, ms).isLessThan(PROBE_BUDGET.toMillis());
          slowest = Math.max(slowest, ms);
          answered++;
        }
        Thread.sleep(200);
      }
      System.out.printf(
          "%d stalled connections: %d probes answered in 8 s, slowest %d ms; the server closed"
              + " %d stalled connections (the attacker reopened them)%n",
          stalled, answered, slowest, attack.closedByServer.get());
      assertThat(answered).isGreaterThanOrEqualTo(30);
      // past the 3 s request deadline every stalled connection was closed at least once
      assertThat(attack.closedByServer.get()).isGreaterThanOrEqualTo(stalled);
    }
  }

  /**
   * A connection that does not finish its request head within 3 s of connecting is closed: silent
   * ones and ones that drip a byte every half second alike (a trickle does not extend it).
   */
  @Test
  void stalledConnectionsAreClosedAfterTheRequestDeadline() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<Long>> closedAfter = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        boolean drip = i % 2 == 1;
        closedAfter.add(pool.submit(() -> millisUntilClosed(probePort, drip)));
      }
      long min = Long.MAX_VALUE;
      long max = 0;
      for (Future<Long> f : closedAfter) {
        long ms = f.get();
        min = Math.min(min, ms);
        max = Math.max(max, ms);
      }
      System.out.printf("20 stalled connections closed after %d to %d ms%n", min, max);
      long deadline = HealthServer.PROBE_LIMITS.requestDeadline().toMillis();
      assertThat(min).isGreaterThanOrEqualTo(deadline - 500);
      assertThat(max).isLessThan(deadline + 1500);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A request head over 8 KiB is answered 431 and the connection closed; up to it is served. */
  @Test
  void aRequestHeadOver8KiBGets431AndIsClosed() throws Exception {
    String line = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", probePort), 1000);
      s.setSoTimeout(2000);
      long t0 = System.nanoTime();
      s.getOutputStream()
          .write((line + "X-Big: " + "a".repeat(9000)).getBytes(StandardCharsets.US_ASCII));
      String answer = readToEnd(s.getInputStream());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(answer).startsWith("HTTP/1.1 431 ").contains("Connection: close");
      assertThat(ms).as("answered and closed at once, not at a deadline").isLessThan(1500);
    }
    // a head of 8,000 bytes (under 8 KiB) is a request like any other
    String padded = line + "X-Pad: " + "a".repeat(8000 - line.length() - 11) + "\r\n\r\n";
    assertThat(padded).hasSize(8000);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", probePort), 1000);
      s.setSoTimeout(2000);
      s.getOutputStream().write(padded.getBytes(StandardCharsets.US_ASCII));
      assertThat(readToEnd(s.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("\r\nok\n");
    }
  }

  /**
   * The probes and /metrics are on ports of their own, with threads of their own: a scrape that
   * takes 3 s, 200 stalled connections on the metrics port and clients that never read a large
   * scrape do not delay a probe, and a scrape still gets through.
   */
  @Test
  void metricsArePortAndThreadsApartFromTheProbes() throws Exception {
    assertThat(get(probePort, "/metrics", PROBE_BUDGET)).startsWith("HTTP/1.1 404 ");
    assertThat(get(metricsPort, "/healthz", PROBE_BUDGET)).startsWith("HTTP/1.1 404 ");
    assertThat(get(metricsPort, "/readyz", PROBE_BUDGET)).startsWith("HTTP/1.1 404 ");
    // a scrape of about 1 MB
    for (int i = 0; i < 5000; i++) {
      Gauge.builder("padding_gauge", () -> 1.0)
          .tag("name", "integration-" + i + "-" + "x".repeat(100))
          .register(registry);
    }
    String scrape = get(metricsPort, "/metrics", Duration.ofSeconds(5));
    assertThat(scrape).startsWith("HTTP/1.1 200 ").hasSizeGreaterThan(500_000);

    List<Socket> neverRead = new ArrayList<>();
    try (Stallers attack = new Stallers(metricsPort, 200)) {
      for (int i = 0; i < 10; i++) {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", metricsPort), 1000);
        s.getOutputStream().write(request("/metrics"));
        neverRead.add(s);
      }
      // a collector that takes 3 s once: a scrape in progress on the metrics thread (scrapes are
      // served one after another there, so only the first sleeps)
      AtomicInteger slowScrapes = new AtomicInteger();
      Gauge.builder(
              "slow_gauge",
              () -> {
                if (slowScrapes.getAndIncrement() == 0) {
                  sleep(3000);
                }
                return 1.0;
              })
          .register(registry);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<String> slow =
            pool.submit(() -> get(metricsPort, "/metrics", Duration.ofSeconds(20)));
        long slowest = 0;
        for (int i = 0; i < 10; i++) {
          for (String path : List.of("/healthz", "/readyz")) {
            long t0 = System.nanoTime();
            assertThat(get(probePort, path, PROBE_BUDGET)).startsWith("HTTP/1.1 200 ");
            slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
          }
          Thread.sleep(200);
        }
        assertThat(slowScrapes.get()).as("a scrape was in progress meanwhile").isPositive();
        System.out.printf(
            "probes during a 3 s scrape, 200 stalled and 10 unread scrapes on the metrics port:"
                + " slowest %d ms%n",
            slowest);
        assertThat(slowest).isLessThan(PROBE_BUDGET.toMillis());
        assertThat(slow.get()).startsWith("HTTP/1.1 200 ").contains("slow_gauge");
      } finally {
        pool.shutdownNow();
      }
    } finally {
      for (Socket s : neverRead) {
        s.close();
      }
    }
  }

  /** The plain answers: HEAD, a method or request line it does not serve, readiness. */
  @Test
  void answersProbesAndRefusesWhatItDoesNotServe() throws Exception {
    assertThat(raw(probePort, "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ")
        .contains("Content-Length: 3\r\n")
        .endsWith("\r\n\r\n");
    assertThat(raw(probePort, "POST /healthz HTTP/1.1\r\nContent-Length: 0\r\n\r\n"))
        .startsWith("HTTP/1.1 405 ");
    assertThat(raw(probePort, "hello\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    assertThat(raw(probePort, "GET /healthz?x=1 HTTP/1.1\n\n")).startsWith("HTTP/1.1 200 ");
    assertThat(get(probePort, "/readyz", PROBE_BUDGET)).startsWith("HTTP/1.1 200 ");

    // not ready until started, nor while the informers are unhealthy
    int metrics2 = MinioServer.freePort();
    int probes2 = dev.integrations.s3.testing.OperatorProcess.freePortBut(metrics2);
    AtomicInteger healthy = new AtomicInteger(1);
    HealthServer other = HealthServer.start(metrics2, probes2, () -> healthy.get() == 1, registry);
    try {
      assertThat(get(probes2, "/readyz", PROBE_BUDGET)).startsWith("HTTP/1.1 503 ");
      assertThat(get(probes2, "/healthz", PROBE_BUDGET)).startsWith("HTTP/1.1 200 ");
      other.markStarted();
      assertThat(get(probes2, "/readyz", PROBE_BUDGET)).startsWith("HTTP/1.1 200 ");
      healthy.set(0);
      assertThat(get(probes2, "/readyz", PROBE_BUDGET)).startsWith("HTTP/1.1 503 ");
    } finally {
      other.stop();
    }
  }

  private static String raw(int port, String request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      s.setSoTimeout(2000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return readToEnd(s.getInputStream());
    }
  }

  /** What the kubelet sends for an httpGet probe. */
  private static byte[] request(String path) {
    return ("GET "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: kube-probe/1.33\r\nAccept: */*\r\n"
            + "Connection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The whole answer, or an exception when it takes longer than {@code budget}. */
  private static String get(int port, String path, Duration budget) throws IOException {
    long deadline = System.nanoTime() + budget.toNanos();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), (int) budget.toMillis());
      s.setSoTimeout((int) budget.toMillis());
      s.getOutputStream().write(request(path));
      String answer = readToEnd(s.getInputStream());
      if (System.nanoTime() > deadline) {
        throw new SocketTimeoutException(path + " took longer than " + budget);
      }
      return answer;
    }
  }

  private static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) >= 0; ) {
      out.write(buf, 0, n);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** Connects, then sends nothing (or a byte every 500 ms); the time until the server closes. */
  private static long millisUntilClosed(int port, boolean drip) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      long t0 = System.nanoTime();
      s.setSoTimeout(drip ? 500 : 10_000);
      byte[] head = "GET /healthz HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
      int sent = 0;
      while (true) {
        try {
          if (drip) {
            s.getOutputStream().write(sent < head.length ? head[sent] : 'a');
            sent++;
          }
          if (s.getInputStream().read() < 0) {
            break;
          }
        } catch (SocketTimeoutException stillOpen) {
          if (System.nanoTime() - t0 > 10_000_000_000L) {
            throw new AssertionError("still open after 10 s");
          }
        } catch (IOException reset) {
          break;
        }
      }
      return (System.nanoTime() - t0) / 1_000_000;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code count} connections that never finish a request: even ones send nothing, odd ones one
   * byte of a header a second. A thread checks them every 200 ms and reopens any the server closed.
   */
  private static final class Stallers implements AutoCloseable {
    final AtomicInteger closedByServer = new AtomicInteger();
    private final int port;
    private final SocketChannel[] channels;
    private final Thread thread;
    private volatile boolean running = true;

    Stallers(int port, int count) throws IOException {
      this.port = port;
      this.channels = new SocketChannel[count];
      for (int i = 0; i < count; i++) {
        channels[i] = open();
      }
      thread = new Thread(this::run, "stallers");
      thread.setDaemon(true);
      thread.start();
    }

    private SocketChannel open() throws IOException {
      SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      ch.configureBlocking(false);
      return ch;
    }

    private void run() {
      ByteBuffer sink = ByteBuffer.allocate(1024);
      long lastDrip = System.nanoTime();
      while (running) {
        boolean drip = System.nanoTime() - lastDrip >= 1_000_000_000L;
        if (drip) {
          lastDrip = System.nanoTime();
        }
        for (int i = 0; i < channels.length && running; i++) {
          try {
            sink.clear();
            boolean closed = channels[i].read(sink) < 0;
            if (!closed && drip && i % 2 == 1) {
              channels[i].write(ByteBuffer.wrap(new byte[] {'G'}));
            }
            if (closed) {
              throw new IOException("closed");
            }
          } catch (IOException e) {
            closedByServer.incrementAndGet();
            try {
              channels[i].close();
              channels[i] = open();
            } catch (IOException again) {
              // try again at the next turn
            }
          }
        }
        sleep(200);
      }
    }

    @Override
    public void close() throws Exception {
      running = false;
      thread.join(5000);
      for (SocketChannel ch : channels) {
        ch.close();
      }
    }
  }
}
