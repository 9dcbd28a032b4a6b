package dev.integrations.s3.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.testing.Endpoints;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers a real MinIO rarely gives on demand (server still starting, a proxy's HTML page, garbage
 * with status 200), served by a local HTTP stub, through both the library's and our own requests.
 */
class MinioAdminClientAdapterTest {
  private HttpServer server;
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> body = new AtomicReference<>("{}");
  private MinioAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status.get(), b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
    StorageEndpoint ep =
        Endpoints.of("127.0.0.1", server.getAddress().getPort(), false, "us-east-1");
    admin = MinioAdminClientAdapter.connect(ep, "admin-ak", "admin-sk-do-not-print");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void serverNotInitializedIsTransientStorageError() {
    answer(
        503,
        "{\"Code\":\"XMinioServerNotInitialized\",\"Message\":\"Server not initialized yet,"
            + " please try again.\"}");
    for (StorageException e :
        new StorageException[] {
          thrown(() -> admin.user("someone")), // library request
          thrown(() -> admin.policy("p")), // own signed request
          thrown(() -> admin.detachAllPolicies("someone"))
        }) {
      assertThat(e.reason()).isEqualTo(Reasons.STORAGE_ERROR);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.getMessage()).contains("XMinioServerNotInitialized");
    }
  }

  @Test
  void nonMinioErrorBodyIsNeverQuoted() {
    answer(502, "<html>Bad Gateway for request with secret=ECHOED-REQUEST-DATA</html>");
    StorageException lib = thrown(() -> admin.putPolicy("p", "{\"Version\":\"2012-10-17\"}"));
    StorageException own = thrown(() -> admin.policy("p"));
    for (StorageException e : new StorageException[] {lib, own}) {
      assertThat(e.reason()).isEqualTo(Reasons.STORAGE_ERROR);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.getMessage())
          .contains("not a MinIO error response")
          .doesNotContain("ECHOED-REQUEST-DATA")
          .doesNotContain("admin-sk-do-not-print");
    }
    assertThat(own.getMessage()).contains("HTTP 502");
  }

  @Test
  void unparseableSuccessIsAServerErrorNotAnUnreachableEndpoint() {
    answer(200, "this is not json ECHOED");
    for (StorageException e :
        new StorageException[] {thrown(() -> admin.user("u")), thrown(() -> admin.policy("p"))}) {
      assertThat(e.reason()).isEqualTo(Reasons.STORAGE_ERROR);
      assertThat(e.getMessage()).doesNotContain("ECHOED");
    }
  }

  @Test
  void errorMessagesAreBoundedAndSingleLine() {
    answer(
        500, "{\"Code\":\"InternalError\",\"Message\":\"line1\\nline2" + "x".repeat(1000) + "\"}");
    StorageException e = thrown(() -> admin.user("u"));
    assertThat(e.getMessage()).contains("InternalError: line1 line2").doesNotContain("\n");
    assertThat(e.getMessage().length()).isLessThan(500);
  }

  private void answer(int code, String text) {
    status.set(code);
    body.set(text);
  }

  private static StorageException thrown(Runnable call) {
    StorageException e = catchThrowableOfType(StorageException.class, call::run);
    assertThat(e).as("expected a StorageException").isNotNull();
    return e;
  }
}
