package dev.integrations.s3.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.testing.Endpoints;
import dev.integrations.s3.verify.ProbeResult.Outcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An S3 endpoint's {@code <Code>} is the endpoint owner's text, and a bucket's status message
 * carries it (issue 21, item 11): one of no code's shape (newlines, markup, 100 KB) never reaches
 * it. The endpoint is a JDK HTTP server on loopback answering every request with 403.
 */
class AccessProberErrorCodeTest {
  private HttpServer server;
  private StorageEndpoint endpoint;
  private volatile String code;
  private volatile int status = 403;
  private volatile String message = "no";

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          byte[] b =
              ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                      + code
                      + "</Code><Message>"
                      + message
                      + "</Message><RequestId>1</RequestId></Error>")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/xml");
          ex.sendResponseHeaders(status, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
    endpoint = Endpoints.of("127.0.0.1", server.getAddress().getPort(), false, "us-east-1");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aCodeOfNoCodesShapeNeverReachesTheBucketsMessage() {
    code = "Forbidden&#10;FORGED LOG LINE &lt;b&gt;" + "x".repeat(100_000);
    ProbeResult r = probe();
    assertThat(r.list()).isEqualTo(Outcome.Error);
    assertThat(r.message())
        .isEqualTo("list failed: HTTP 403 with an error code of no known shape")
        .doesNotContain("FORGED");
  }

  @Test
  void aRealCodeIsStillReported() {
    code = "SlowDown";
    assertThat(probe().message()).isEqualTo("list failed: SlowDown (HTTP 403)");
    code = "AccessDenied";
    assertThat(probe().list()).isEqualTo(Outcome.Denied);
  }

  /** RustFS's answer to a service account past its expiry: the keys are rejected. */
  @Test
  void rustfsExpiredKeyIsCredentialsRejectedOnlyWithItsExactAnswer() {
    status = 400;
    code = "InvalidRequest";
    message = "check key failed";
    StorageException e = catchThrowableOfType(StorageException.class, this::probe);
    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(Reasons.CREDENTIALS_REJECTED);
    assertThat(e.getMessage()).contains("InvalidRequest").doesNotContain("secret-not-printed");
    StorageException auth =
        catchThrowableOfType(
            StorageException.class,
            () -> new AccessProber().authenticate(endpoint, "AKIAEXAMPLE", "secret-not-printed"));
    assertThat(auth).isNotNull();
    assertThat(auth.reason()).isEqualTo(Reasons.CREDENTIALS_REJECTED);

    // any other InvalidRequest, or the same text with another status, is not about the keys
    message = "check key failed!";
    assertThat(probe().message()).isEqualTo("list failed: InvalidRequest (HTTP 400)");
    message = "check key failed";
    status = 403;
    assertThat(probe().message()).isEqualTo("list failed: InvalidRequest (HTTP 403)");
  }

  private ProbeResult probe() {
    List<ProbeResult> results =
        new AccessProber()
            .probe(
                endpoint,
                "AKIAEXAMPLE",
                "secret-not-printed",
                List.of(new BucketScope("media", List.of())),
                ProbeBudget.standard());
    assertThat(results).hasSize(1);
    return results.get(0);
  }
}
