package dev.integrations.s3.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An endpoint that answers every HTTP request the way a broken or hostile S3 server could: an
 * endless body, a body dripped one byte at a time, or bytes that are not an S3 answer. It counts
 * what it sent, so a test can tell how much the client read before it stopped.
 */
public final class HostileS3Server implements AutoCloseable {
  public enum Mode {
    /** 200 with a chunked XML body that never ends. */
    ENDLESS_BODY,
    /** 200 announcing a 1 MB body, then one byte every 200 ms. */
    DRIP,
    /** 200 with a body that is not XML, then 500 with HTML, alternating. */
    MALFORMED
  }

  private final Mode mode;
  private final ServerSocket socket;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "hostile-s3");
            t.setDaemon(true);
            return t;
          });
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong maxPerConnection = new AtomicLong();
  private final AtomicInteger requests = new AtomicInteger();

  public HostileS3Server(Mode mode) throws IOException {
    this.mode = mode;
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.submit(this::acceptLoop);
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** Bytes written to all clients (what they could have read). */
  public long bytesSent() {
    return sent.get();
  }

  /** The most bytes one connection was sent before the client hung up. */
  public long maxBytesPerConnection() {
    return maxPerConnection.get();
  }

  public int requests() {
    return requests.get();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        threads.submit(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    long mine = 0;
    try (s;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      s.setSoTimeout(60_000);
      while (readRequest(in)) {
        int n = requests.incrementAndGet();
        switch (mode) {
          case ENDLESS_BODY -> {
            mine += write(out, head("Transfer-Encoding: chunked"));
            // the start of a plausible answer (a bucket list, an admin listing), never closed
            byte[] start =
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult><Owner><ID>x</ID></Owner><Buckets>"
                    .getBytes(StandardCharsets.US_ASCII);
            mine += write(out, chunkOf(start));
            byte[] chunk = chunk(64 * 1024);
            while (true) {
              mine += write(out, chunk);
              record(mine);
            }
          }
          case DRIP -> {
            mine += write(out, head("Content-Length: 1000000"));
            for (int i = 0; i < 1_000_000; i++) {
              mine += write(out, new byte[] {'<'});
              record(mine);
              Thread.sleep(200);
            }
          }
          case MALFORMED -> {
            byte[] body =
                (n % 2 == 0
                        ? "<html><body>502 Bad Gateway</body></html>"
                        : "\u0000\u0001not xml at all }{ <Error><Code>")
                    .getBytes(StandardCharsets.UTF_8);
            String status = n % 2 == 0 ? "500 Internal Server Error" : "200 OK";
            mine +=
                write(
                    out,
                    ("HTTP/1.1 "
                            + status
                            + "\r\nContent-Type: application/xml\r\nContent-Length: "
                            + body.length
                            + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            mine += write(out, body);
            record(mine);
          }
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client hung up: what we measure
    } finally {
      record(mine);
    }
  }

  private void record(long mine) {
    maxPerConnection.accumulateAndGet(mine, Math::max);
  }

  private long write(OutputStream out, byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    sent.addAndGet(bytes.length);
    return bytes.length;
  }

  private static byte[] head(String framing) {
    return ("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n" + framing + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] chunk(int size) {
    String item =
        "<Bucket><Name>b</Name><CreationDate>2026-01-01T00:00:00Z</CreationDate></Bucket>";
    return chunkOf(item.repeat(size / item.length()).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] chunkOf(byte[] data) {
    int size = data.length;
    byte[] prefix = (Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] chunk = new byte[prefix.length + size + 2];
    System.arraycopy(prefix, 0, chunk, 0, prefix.length);
    System.arraycopy(data, 0, chunk, prefix.length, size);
    chunk[chunk.length - 2] = '\r';
    chunk[chunk.length - 1] = '\n';
    return chunk;
  }

  /** Reads one request's head and its body (by Content-Length); false at end of stream. */
  private static boolean readRequest(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        break;
      }
      if (head.length() > 64 * 1024) {
        return false;
      }
    }
    if (c == -1) {
      return false;
    }
    long length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(line.substring(15).trim());
      }
    }
    in.skipNBytes(length);
    return true;
  }

  @Override
  public void close() throws IOException {
    socket.close();
    threads.shutdownNow();
  }
}
