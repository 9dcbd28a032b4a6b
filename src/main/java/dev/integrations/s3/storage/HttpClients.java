package dev.integrations.s3.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * HTTP clients towards storage endpoints, with timeouts and, when configured, an extra trusted CA.
 * There is deliberately no way to switch certificate checks off.
 */
public final class HttpClients {
  /** Endpoints are few; the bound only guards against unbounded growth from changing CAs. */
  private static final int MAX_CACHED = 64;

  private static final Map<StorageEndpoint, OkHttpClient> CACHE = new ConcurrentHashMap<>();

  private HttpClients() {}

  /**
   * The shared client for this endpoint: its timeouts, and the JVM's CAs plus the endpoint's CA
   * bundle. One per endpoint, so that reconciles reuse connections (and TLS sessions) instead of
   * building a client, a connection pool and a dispatcher each time. Callers must not shut it down.
   */
  public static OkHttpClient forEndpoint(StorageEndpoint endpoint) {
    OkHttpClient cached = CACHE.get(endpoint);
    if (cached != null) {
      return cached;
    }
    if (CACHE.size() >= MAX_CACHED) {
      CACHE.clear(); // dropped clients close their idle connections on their own
    }
    return CACHE.computeIfAbsent(endpoint, HttpClients::build);
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
            .retryOnConnectionFailure(true);
    if (endpoint.tls() && endpoint.caPem() != null && !endpoint.caPem().isBlank()) {
      X509TrustManager trust = trustManager(endpoint.caPem());
      try {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {trust}, null);
        b.sslSocketFactory(ssl.getSocketFactory(), trust);
      } catch (GeneralSecurityException e) {
        throw StorageException.tls(
            "cannot set up TLS with the configured CA: " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  /**
   * Trusts the JVM's default CAs and every certificate in the PEM bundle.
   *
   * @throws StorageException reason TLSError when the bundle holds no readable certificate
   */
  public static X509TrustManager trustManager(String caPem) {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      Collection<? extends Certificate> certs =
          cf.generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.UTF_8)));
      if (certs.isEmpty()) {
        throw StorageException.tls("the CA bundle contains no PEM certificate", null);
      }
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      List<X509TrustManager> managers = new ArrayList<>();
      managers.add(defaultTrust(ks));
      managers.add(defaultTrust(null));
      return new CompositeTrustManager(managers);
    } catch (GeneralSecurityException | IOException e) {
      throw StorageException.tls("the CA bundle is not valid PEM: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager defaultTrust(KeyStore ks) throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509TrustManager available");
  }

  /**
   * Maps an I/O failure of a call to {@code url} onto a classified {@link StorageException} with a
   * message a human understands.
   */
  public static StorageException classify(IOException e, String url) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof SSLException) {
        break;
      }
      root = root.getCause();
    }
    if (e instanceof SSLPeerUnverifiedException || root instanceof SSLPeerUnverifiedException) {
      return StorageException.tls(
          "the certificate of " + url + " does not match its host name: " + safe(root), e);
    }
    if (e instanceof SSLHandshakeException || root instanceof SSLHandshakeException) {
      return StorageException.tls(
          "TLS handshake with "
              + url
              + " failed (is the server's certificate signed by a trusted CA? set"
              + " tls.caSecretRef for a private CA): "
              + safe(root),
          e);
    }
    if (e instanceof SSLException || root instanceof SSLException) {
      return StorageException.tls(
          "TLS error talking to "
              + url
              + " (does the server speak TLS on this port? tls.enabled must match): "
              + safe(root),
          e);
    }
    if (root instanceof UnknownHostException) {
      return StorageException.unreachable("cannot resolve the host of " + url, e);
    }
    if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
      return StorageException.unreachable("cannot connect to " + url + ": " + safe(root), e);
    }
    if (root instanceof SocketTimeoutException) {
      return StorageException.unreachable("timed out talking to " + url, e);
    }
    return StorageException.unreachable(
        "I/O error talking to " + url + ": " + e.getClass().getSimpleName() + " " + safe(e), e);
  }

  private static String safe(Throwable t) {
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }

  /** Accepts a chain when any delegate does. */
  private record CompositeTrustManager(List<X509TrustManager> delegates)
      implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      delegates.get(delegates.size() - 1).checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      java.security.cert.CertificateException last = null;
      for (X509TrustManager d : delegates) {
        try {
          d.checkServerTrusted(chain, authType);
          return;
        } catch (java.security.cert.CertificateException e) {
          last = e;
        }
      }
      throw last;
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegates.stream()
          .flatMap(d -> java.util.Arrays.stream(d.getAcceptedIssuers()))
          .toArray(X509Certificate[]::new);
    }
  }
}
