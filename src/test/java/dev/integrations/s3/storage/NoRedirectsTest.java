package dev.integrations.s3.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.integrations.s3.storage.minio.MinioAdminClientAdapter;
import dev.integrations.s3.verify.AccessProber;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A storage endpoint that answers with a redirect to another host (the attacker who runs the S3
 * endpoint a store names): the canary behind the redirect must receive nothing, in particular not
 * an add-user PUT with its encrypted body, and the operator must not take the canary's answer for
 * the storage's.
 */
class NoRedirectsTest {
  HttpServer canary;
  HttpServer redirector;
  final AtomicInteger canaryHits = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    canary = HttpServer.create(new InetSocketAddress(lo, 0), 0);
    canary.createContext(
        "/",
        ex -> {
          canaryHits.incrementAndGet();
          ex.getRequestBody().readAllBytes();
          byte[] ok = "{\"status\":\"enabled\",\"policyName\":\"consoleAdmin\"}".getBytes();
          ex.sendResponseHeaders(200, ok.length);
          ex.getResponseBody().write(ok);
          ex.close();
        });
    canary.start();
    redirector = HttpServer.create(new InetSocketAddress(lo, 0), 0);
    redirector.createContext(
        "/",
        ex -> {
          ex.getResponseHeaders()
              .set(
                  "Location",
                  "http://127.0.0.1:" + canary.getAddress().getPort() + ex.getRequestURI());
          ex.sendResponseHeaders(307, -1);
          ex.close();
        });
    redirector.start();
  }

  @AfterEach
  void stop() {
    canary.stop(0);
    redirector.stop(0);
  }

  StorageEndpoint storage() {
    return new StorageEndpoint(
        "127.0.0.1",
        redirector.getAddress().getPort(),
        false,
        "us-east-1",
        false,
        null,
        StorageEndpoint.DEFAULT_CONNECT_TIMEOUT,
        StorageEndpoint.DEFAULT_READ_TIMEOUT);
  }

  @Test
  void adminCallsAreNeverSentOnAndTheirAnswerIsNotTaken() {
    MinioAdminClientAdapter admin =
        MinioAdminClientAdapter.connect(storage(), "admin-access-key", "admin-secret-key-0123");
    assertThatThrownBy(() -> admin.createUser("k8s.team-a.viz", "a-new-secret-key-0123456789"))
        .isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> admin.user("k8s.team-a.viz")).isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> admin.putPolicy("s3i-x", "{}")).isInstanceOf(StorageException.class);
    assertThat(canaryHits).as("requests the host behind the redirect received").hasValue(0);
  }

  @Test
  void theProbeIsNotSentOnEither() {
    assertThatThrownBy(() -> new AccessProber().reach(storage()))
        .isInstanceOf(StorageException.class);
    assertThat(canaryHits).hasValue(0);
  }
}
