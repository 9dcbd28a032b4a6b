package dev.integrations.s3.controller.store;

import static dev.integrations.s3.testing.Fixtures.validateOnlyStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.integrations.s3.api.v1alpha1.S3Store;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant with {@code edit} names hosts and ports in S3Stores to learn what the operator's pod can
 * reach. Whatever sits on the port (nothing, a web server, another protocol, a plain port named
 * with TLS), the store's status says the same words: the reason and the message differ only by the
 * URL the tenant wrote. A real MinIO on the next store shows the check still tells S3 apart.
 */
@EnableKubernetesMockClient(crud = true)
class PortScanMockIT {
  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;
  static HttpServer web;
  static ServerSocket otherProtocol;

  @BeforeAll
  static void start() throws Exception {
    minio = MinioServer.shared();
    op = new OperatorHarness(client, false);
    InetAddress lo = InetAddress.getLoopbackAddress();
    web = HttpServer.create(new InetSocketAddress(lo, 0), 0);
    web.createContext(
        "/",
        ex -> {
          byte[] page = "<html>internal dashboard</html>".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, page.length);
          ex.getResponseBody().write(page);
          ex.close();
        });
    web.start();
    otherProtocol = new ServerSocket(0, 50, lo);
    Thread t =
        new Thread(
            () -> {
              while (!otherProtocol.isClosed()) {
                try (Socket s = otherProtocol.accept();
                    OutputStream out = s.getOutputStream()) {
                  out.write("-ERR unknown command\r\n".getBytes(StandardCharsets.UTF_8));
                } catch (Exception e) {
                  // closed
                }
              }
            });
    t.setDaemon(true);
    t.start();
  }

  @AfterAll
  static void stop() throws Exception {
    op.close();
    web.stop(0);
    otherProtocol.close();
  }

  static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static Condition ready(String ns) {
    S3Store s = client.resources(S3Store.class).inNamespace(ns).withName("scan").get();
    return Conditions.find(
            s == null || s.getStatus() == null ? List.of() : s.getStatus().getConditions(), "Ready")
        .orElse(null);
  }

  @Test
  void closedOpenAndForeignPortsLookTheSame() throws Exception {
    Map<String, S3Store> stores = new LinkedHashMap<>();
    stores.put("closed", validateOnlyStore("scan-closed", "scan", "127.0.0.1", closedPort()));
    stores.put(
        "web", validateOnlyStore("scan-web", "scan", "127.0.0.1", web.getAddress().getPort()));
    stores.put(
        "other",
        validateOnlyStore("scan-other", "scan", "127.0.0.1", otherProtocol.getLocalPort()));
    S3Store tlsOnPlain =
        validateOnlyStore("scan-tls", "scan", "127.0.0.1", web.getAddress().getPort());
    tlsOnPlain.getSpec().getTls().setEnabled(true);
    stores.put("tls", tlsOnPlain);
    stores.values().forEach(s -> client.resource(s).create());
    client.resource(validateOnlyStore("scan-minio", "scan", minio.host(), minio.port())).create();

    Map<String, String> seen = new LinkedHashMap<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              for (Map.Entry<String, S3Store> e : stores.entrySet()) {
                Condition c = ready(e.getValue().getMetadata().getNamespace());
                assertThat(c).as(e.getKey()).isNotNull();
                assertThat(c.getStatus()).as(e.getKey()).isEqualTo("False");
                String url =
                    (e.getKey().equals("tls") ? "https" : "http")
                        + "://127.0.0.1:"
                        + e.getValue().getSpec().getPort();
                seen.put(e.getKey(), c.getReason() + ": " + c.getMessage().replace(url, "<url>"));
              }
              Condition real = ready("scan-minio");
              assertThat(real).isNotNull();
              assertThat(real.getStatus()).isEqualTo("True");
            });
    seen.forEach((k, v) -> System.out.println(k + " -> " + v));
    assertThat(seen.values()).as("what each store says").containsOnly(seen.get("closed"));
    assertThat(seen.get("closed"))
        .startsWith("EndpointUnreachable: cannot reach <url> as S3 storage")
        .doesNotContain("refused")
        .doesNotContain("dashboard")
        .doesNotContain("HTTP");
  }
}
