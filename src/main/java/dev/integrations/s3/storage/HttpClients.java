package dev.integrations.s3.storage;

import dev.integrations.s3.status.Reasons;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.tls.HandshakeCertificates;
import okio.Buffer;
import okio.BufferedSource;

/**
 * HTTP clients towards storage endpoints, with timeouts and, when configured, an extra trusted CA.
 * There is deliberately no way to switch certificate checks off.
 */
public final class HttpClients {
  /**
   * Clients kept, least recently used dropped first: enough for every endpoint and trust of a large
   * installation, and a bound when CAs keep changing. A dropped client closes its idle connections
   * on its own.
   */
  static final int MAX_CACHED = 256;

  private static final Map<StorageEndpoint, OkHttpClient> CACHE =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<StorageEndpoint, OkHttpClient> eldest) {
          return size() > MAX_CACHED;
        }
      };

  /**
   * Largest answer body read from a storage endpoint. The operator's requests are small (list one
   * key, read one byte, admin calls about one user or policy); a server that sends more is not one
   * we should buffer, whatever library code reads the body.
   */
  public static final long MAX_BODY = 1024 * 1024;

  private HttpClients() {}

  /**
   * The shared client for this endpoint: its timeouts, and the JVM's CAs plus the endpoint's CA
   * bundle. One per endpoint and trust, so that reconciles reuse connections (and TLS sessions)
   * instead of building a client, a connection pool and a dispatcher each time. Callers must not
   * shut it down.
   */
  public static OkHttpClient forEndpoint(StorageEndpoint endpoint) {
    synchronized (CACHE) {
      OkHttpClient cached = CACHE.get(endpoint);
      if (cached != null) {
        return cached;
      }
    }
    OkHttpClient built = build(endpoint); // outside the lock: parsing a CA bundle takes a moment
    synchronized (CACHE) {
      return CACHE.computeIfAbsent(endpoint, e -> built);
    }
  }

  /** How many clients are kept now. */
  static int cached() {
    synchronized (CACHE) {
      return CACHE.size();
    }
  }

  private static OkHttpClient build(StorageEndpoint endpoint) {
    OkHttpClient.Builder b =
        new OkHttpClient.Builder()
            .connectTimeout(endpoint.connectTimeout())
            .readTimeout(endpoint.readTimeout())
            .writeTimeout(endpoint.readTimeout())
            .callTimeout(endpoint.readTimeout().plus(endpoint.connectTimeout()))
            // Reused pooled connections may have been closed by the server (a restart): retry those
            // once rather than report the endpoint unreachable.
            .retryOnConnectionFailure(true)
            // A storage endpoint's redirect is never followed: a PUT carrying a new user's key
            // would be sent on, body and all, to wherever the endpoint points, and that host's
            // answer taken for the storage's.
            .followRedirects(false)
            .followSslRedirects(false)
            .addInterceptor(HttpClients::readWhole);
    if (endpoint.guarded()) {
      b.socketFactory(EndpointGuard.socketFactory());
    }
    if (endpoint.tls() && endpoint.caPem() != null && !endpoint.caPem().isBlank()) {
      HandshakeCertificates trust = trust(endpoint.caPem());
      b.sslSocketFactory(trust.sslSocketFactory(), trust.trustManager());
    }
    return b.build();
  }

  /**
   * Trusts the platform's CAs and every certificate in the PEM bundle.
   *
   * @throws StorageException reason TLSError when the bundle holds no readable certificate
   */
  public static HandshakeCertificates trust(String caPem) {
    Collection<? extends Certificate> certs;
    try {
      certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(caPem.getBytes(StandardCharsets.UTF_8)));
    } catch (CertificateException e) {
      throw StorageException.tls("the CA bundle is not valid PEM: " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw StorageException.tls("the CA bundle contains no PEM certificate", null);
    }
    HandshakeCertificates.Builder b = new HandshakeCertificates.Builder();
    b.addPlatformTrustedCertificates();
    certs.forEach(c -> b.addTrustedCertificate((X509Certificate) c));
    return b.build();
  }

  /** An answer longer than {@link #MAX_BODY}: reading stops there. */
  public static final class ResponseTooLargeException extends IOException {
    ResponseTooLargeException(long max) {
      super("the answer is longer than " + max + " bytes");
    }
  }

  /**
   * Reads each answer whole, up to {@link #MAX_BODY}, before any library code sees it: a longer
   * answer, or one that does not finish within the call's timeout (a server dripping bytes), fails
   * here as the I/O error it is, and is not turned into an XML parse error by a parser that read
   * the stream.
   */
  /**
   * Gives up on the answer: the call is cancelled so that the connection is dropped, rather than
   * drained (OkHttp would otherwise read on for a while to reuse it).
   */
  private static ResponseTooLargeException tooLarge(Interceptor.Chain chain) {
    chain.call().cancel();
    return new ResponseTooLargeException(MAX_BODY);
  }

  private static Response readWhole(Interceptor.Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    ResponseBody body = response.body();
    Buffer whole = new Buffer();
    try (BufferedSource source = body.source()) {
      if (body.contentLength() > MAX_BODY) {
        throw tooLarge(chain);
      }
      while (source.read(whole, 8192) != -1) {
        if (whole.size() > MAX_BODY) {
          throw tooLarge(chain);
        }
      }
    }
    return response
        .newBuilder()
        .body(ResponseBody.create(whole, body.contentType(), whole.size()))
        .build();
  }

  /**
   * Maps an I/O failure of a call to {@code url} onto a classified {@link StorageException} with a
   * message a human understands.
   */
  public static StorageException classify(IOException e, String url) {
    if (e instanceof ResponseTooLargeException) {
      return StorageException.serverError(
          url + " answered with more than " + MAX_BODY + " bytes; the operator stopped reading", e);
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof SSLException) {
        break;
      }
      root = root.getCause();
    }
    if (e instanceof SSLPeerUnverifiedException || root instanceof SSLPeerUnverifiedException) {
      return new ConnectionFailure(
          Reasons.TLS_ERROR,
          url,
          "the certificate of " + url + " does not match its host name: " + safe(root),
          e);
    }
    if (e instanceof SSLHandshakeException || root instanceof SSLHandshakeException) {
      return new ConnectionFailure(
          Reasons.TLS_ERROR,
          url,
          "TLS handshake with "
              + url
              + " failed (is the server's certificate signed by a trusted CA? set"
              + " tls.caSecretRef for a private CA): "
              + safe(root),
          e);
    }
    if (e instanceof SSLException || root instanceof SSLException) {
      return new ConnectionFailure(
          Reasons.TLS_ERROR,
          url,
          "TLS error talking to "
              + url
              + " (does the server speak TLS on this port? tls.enabled must match): "
              + safe(root),
          e);
    }
    if (root instanceof EndpointGuard.NotAllowedException) {
      return new StorageException(Reasons.ENDPOINT_NOT_ALLOWED, false, root.getMessage(), e);
    }
    if (root instanceof UnknownHostException) {
      return unreachable(url, "cannot resolve the host of " + url, e);
    }
    if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
      return unreachable(url, "cannot connect to " + url + ": " + safe(root), e);
    }
    if (root instanceof SocketTimeoutException
        || e instanceof SocketTimeoutException
        || (e instanceof InterruptedIOException && "timeout".equals(e.getMessage()))) {
      // a read that waited too long, or the whole call's time spent (a server dripping bytes)
      return unreachable(url, "timed out talking to " + url, e);
    }
    return unreachable(
        url,
        "I/O error talking to " + url + ": " + e.getClass().getSimpleName() + " " + safe(e),
        e);
  }

  /** Nothing S3-like answers at {@code url}; the message has the detail. */
  public static ConnectionFailure unreachable(String url, String message, Throwable cause) {
    return new ConnectionFailure(Reasons.ENDPOINT_UNREACHABLE, url, message, cause);
  }

  private static String safe(Throwable t) {
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
