package dev.integrations.s3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server for requests without a body (probes, a scrape): one thread and a {@link
 * Selector}, so no client ever holds a thread, however slowly it sends or reads. Every request is
 * answered once and the connection closed ({@code Connection: close}); no keep-alive.
 *
 * <p>Bounds, so that stalled or slow clients cannot block it ({@link Limits}): at most {@code
 * maxConnections} open connections (a new one closes the oldest still without a whole request, else
 * the oldest, so a fresh request always gets in); the whole request head must arrive within {@code
 * requestDeadline} of the connection's accept and within {@code maxHeaderBytes} (else 431); the
 * answer must be taken within {@code responseDeadline}, written without blocking; past a deadline
 * the connection is closed.
 */
final class NioHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NioHttpServer.class);

  /** How long a connection that was answered may wait for the client to close its side. */
  static final Duration LINGER = Duration.ofSeconds(1);

  /** An answer: status, content type and body. */
  record Response(int status, String contentType, byte[] body) {
    static Response text(int status, String body) {
      return new Response(status, "text/plain", body.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The server's bounds.
   *
   * @param maxConnections open connections at most; one more closes the oldest
   * @param requestDeadline the whole request head must arrive within this time of the accept
   * @param responseDeadline the client must have taken the whole answer within this time
   * @param maxHeaderBytes the request line and headers at most (431 beyond)
   * @param acceptsPerLoop connections accepted per turn of the loop, between reads of those open,
   *     so that a flood of connections cannot push out one whose request is already there
   */
  record Limits(
      int maxConnections,
      Duration requestDeadline,
      Duration responseDeadline,
      int maxHeaderBytes,
      int acceptsPerLoop) {}

  private enum State {
    READING,
    WRITING,
    DRAINING
  }

  private final class Conn {
    final SocketChannel channel;
    final SelectionKey key;
    final ByteBuffer in;
    ByteBuffer[] out;
    State state = State.READING;
    long deadline;

    Conn(SocketChannel channel, SelectionKey key, long deadline) {
      this.channel = channel;
      this.key = key;
      this.in = ByteBuffer.allocate(limits.maxHeaderBytes());
      this.deadline = deadline;
    }
  }

  private final String name;
  private final Limits limits;
  private final Map<String, Supplier<Response>> routes;
  private final ServerSocketChannel server;
  private final Selector selector;
  private final SelectionKey acceptKey;
  private final LinkedHashSet<Conn> open = new LinkedHashSet<>(); // in accept order
  private final ByteBuffer scratch = ByteBuffer.allocate(4096);
  private final Thread thread;
  private volatile boolean running = true;
  private long acceptPausedUntil;
  private boolean acceptFailing;

  private NioHttpServer(
      String name, int port, Map<String, Supplier<Response>> routes, Limits limits)
      throws IOException {
    this.name = name;
    this.limits = limits;
    this.routes = Map.copyOf(routes);
    this.selector = Selector.open();
    this.server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(new InetSocketAddress(port), 256);
      server.configureBlocking(false);
      acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      server.close();
      selector.close();
      throw e;
    }
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
  }

  /**
   * Listens on {@code port} (all addresses) and serves {@code routes} (exact paths; the query is
   * ignored) on a thread of its own named {@code name}.
   */
  static NioHttpServer start(
      String name, int port, Map<String, Supplier<Response>> routes, Limits limits)
      throws IOException {
    NioHttpServer s = new NioHttpServer(name, port, routes, limits);
    s.thread.start();
    return s;
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    try {
      while (running) {
        long now = System.nanoTime();
        long wait = Math.max(1, Math.min(1000, (nextDeadline(now) - now) / 1_000_000 + 1));
        selector.select(wait);
        boolean acceptable = false;
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          if (key == acceptKey) {
            acceptable = key.isValid();
            continue;
          }
          Conn c = (Conn) key.attachment();
          try {
            if (key.isValid() && key.isReadable()) {
              readable(c);
            }
            if (key.isValid() && key.isWritable() && c.state == State.WRITING) {
              write(c);
            }
          } catch (IOException | RuntimeException e) {
            LOG.debug("{}: connection closed: {}", name, e.toString());
            close(c);
          }
        }
        // reads first, then new connections: a request already here is answered before a flood
        // of connections can make its connection the oldest
        if (acceptable) {
          accept();
        }
        expire(System.nanoTime());
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("{}: the HTTP server stopped: {}", name, e.toString());
    } finally {
      for (Conn c : List.copyOf(open)) {
        close(c);
      }
      try {
        server.close();
        selector.close();
      } catch (IOException e) {
        LOG.debug("{}: {}", name, e.toString());
      }
    }
  }

  private long nextDeadline(long now) {
    long next = now + 1_000_000_000L;
    for (Conn c : open) {
      next = Math.min(next, c.deadline);
    }
    if (acceptPausedUntil != 0) {
      next = Math.min(next, acceptPausedUntil);
    }
    return next;
  }

  private void accept() {
    for (int i = 0; i < limits.acceptsPerLoop(); i++) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (IOException e) {
        // e.g. out of file descriptors: try again shortly rather than spin on a ready accept,
        // and say so once, not every time
        if (!acceptFailing) {
          LOG.warn("{}: cannot accept connections: {}", name, e.toString());
        }
        acceptFailing = true;
        acceptKey.interestOps(0);
        acceptPausedUntil = System.nanoTime() + 50_000_000L;
        return;
      }
      if (ch == null) {
        return;
      }
      acceptFailing = false;
      if (open.size() >= limits.maxConnections()) {
        close(oldest()); // a new request always gets in
      }
      try {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
        Conn c = new Conn(ch, key, System.nanoTime() + limits.requestDeadline().toNanos());
        key.attach(c);
        open.add(c);
      } catch (IOException e) {
        closeQuietly(ch);
      }
    }
  }

  /**
   * The connection to close for a new one: the oldest still waiting for its request (where a
   * stalled client is), else the oldest.
   */
  private Conn oldest() {
    for (Conn c : open) {
      if (c.state == State.READING) {
        return c;
      }
    }
    return open.iterator().next();
  }

  private void expire(long now) {
    if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0) {
      acceptPausedUntil = 0;
      acceptKey.interestOps(SelectionKey.OP_ACCEPT);
    }
    List<Conn> late = new ArrayList<>();
    for (Conn c : open) {
      if (now - c.deadline >= 0) {
        late.add(c);
      }
    }
    for (Conn c : late) {
      LOG.debug("{}: closing a connection past its deadline ({})", name, c.state);
      close(c);
    }
  }

  private void readable(Conn c) throws IOException {
    if (c.state == State.DRAINING) {
      scratch.clear();
      if (c.channel.read(scratch) < 0) {
        close(c);
      }
      return;
    }
    if (c.state != State.READING) {
      return;
    }
    int from = Math.max(0, c.in.position() - 2);
    if (c.channel.read(c.in) < 0) {
      close(c); // the client gave up before its request was whole
      return;
    }
    int end = headEnd(c.in, from);
    if (end >= 0) {
      String head = new String(c.in.array(), 0, end, StandardCharsets.ISO_8859_1);
      respond(c, answer(head), head.startsWith("HEAD "));
    } else if (!c.in.hasRemaining()) {
      respond(c, Response.text(431, "request header fields too large\n"), false);
    }
  }

  /** The end of the request head (after its empty line) in {@code buf}, or -1. */
  private static int headEnd(ByteBuffer buf, int from) {
    byte[] b = buf.array();
    int n = buf.position();
    for (int i = from; i < n; i++) {
      if (b[i] == '\n') {
        if (i + 1 < n && b[i + 1] == '\n') {
          return i + 2;
        }
        if (i + 2 < n && b[i + 1] == '\r' && b[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }

  private Response answer(String head) {
    int eol = head.indexOf('\n');
    String[] line = head.substring(0, eol).strip().split(" ");
    if (line.length != 3 || !line[2].startsWith("HTTP/1.")) {
      return Response.text(400, "bad request\n");
    }
    if (!line[0].equals("GET") && !line[0].equals("HEAD")) {
      return Response.text(405, "method not allowed\n");
    }
    String path = line[1];
    int query = path.indexOf('?');
    Supplier<Response> route = routes.get(query < 0 ? path : path.substring(0, query));
    if (route == null) {
      return Response.text(404, "not found\n");
    }
    Response r;
    try {
      r = route.get();
    } catch (RuntimeException e) {
      LOG.error("{}: {} failed: {}", name, path, e.toString());
      return Response.text(500, "internal error\n");
    }
    return r;
  }

  /** Starts writing the answer; for a HEAD request its head only. */
  private void respond(Conn c, Response r, boolean headOnly) throws IOException {
    int length = r.body().length;
    String head =
        "HTTP/1.1 "
            + r.status()
            + " "
            + reason(r.status())
            + "\r\nContent-Type: "
            + r.contentType()
            + "\r\nContent-Length: "
            + length
            + "\r\nConnection: close\r\n\r\n";
    ByteBuffer headBytes = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
    c.out =
        headOnly
            ? new ByteBuffer[] {headBytes}
            : new ByteBuffer[] {headBytes, ByteBuffer.wrap(r.body())};
    c.state = State.WRITING;
    c.deadline = System.nanoTime() + limits.responseDeadline().toNanos();
    c.key.interestOps(SelectionKey.OP_WRITE);
    write(c);
  }

  private void write(Conn c) throws IOException {
    c.channel.write(c.out);
    if (c.out[c.out.length - 1].hasRemaining()) {
      return; // the rest when the socket takes more (OP_WRITE)
    }
    c.out = null;
    // done: end our side, then wait briefly for the client's close, so that nothing it still
    // sends turns our close into a reset that could drop the answer
    c.channel.shutdownOutput();
    c.state = State.DRAINING;
    c.deadline = System.nanoTime() + LINGER.toNanos();
    c.key.interestOps(SelectionKey.OP_READ);
  }

  private void close(Conn c) {
    open.remove(c);
    c.key.cancel();
    closeQuietly(c.channel);
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing to do: it is gone either way
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }
}
