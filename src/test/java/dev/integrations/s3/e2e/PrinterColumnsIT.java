package dev.integrations.s3.e2e;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl get s3i} and {@code kubectl get s3ap} print: the server renders the CRDs'
 * additionalPrinterColumns through the Table API (kubectl asks for {@code as=Table}), so the
 * columns and the cells of a Ready resource are asserted on that response.
 */
class PrinterColumnsIT {
  static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";
  static final ObjectMapper JSON = new ObjectMapper();
  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;
  static String ns;

  @BeforeAll
  static void start() throws Exception {
    minio = MinioServer.shared();
    client = KubeApiServer.shared().client();
    op = new OperatorHarness(client, true);
    ns = KubeApiServer.shared().createNamespace("cols");
    String bucket = "cols-" + MinioServer.randomSuffix();
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    object(minio.rootS3(), bucket, "cats/001.jpg", "meow");
    client.resource(policy(ns, "read", bucket)).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();
    op.awaitReady(ns, "viz", "True", "Ready");
  }

  @AfterAll
  static void stop() {
    if (op == null) {
      return;
    }
    try {
      client.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  client.resources(S3Integration.class).inNamespace(ns).withName("viz").get()
                      == null);
    } finally {
      op.close();
    }
  }

  @Test
  void s3integrationsTableShowsReadyStoreEndpointBucketAndSecret() throws Exception {
    JsonNode table = table("s3integrations");
    assertThat(columns(table, 0))
        .as("columns kubectl get s3i prints")
        .containsExactly("Name", "Ready", "Store", "Endpoint", "Bucket", "Secret", "Age");
    assertThat(columns(table, 1))
        .as("columns kubectl get s3i -o wide adds")
        .containsExactly("Reason", "Message");

    Map<String, Object> row = row(table, "viz");
    assertThat(row)
        .as("the row of the Ready integration (no bucket: every bucket its policies name)")
        .containsEntry("Name", "viz")
        .containsEntry("Ready", "True")
        .containsEntry("Store", "minio")
        .containsEntry("Endpoint", minio.endpoint())
        .containsEntry("Bucket", null)
        .containsEntry("Secret", "viz-s3")
        .containsEntry("Reason", "Ready");
    assertThat((String) row.get("Message")).as("Message").isNotBlank();
    assertThat((String) row.get("Age")).as("Age").matches("\\d+(s|m)\\d*s?");
  }

  @Test
  void aFailingIntegrationShowsItsBucketAndWhyInTheWideColumns() throws Exception {
    S3Integration broken = managed(ns, "broken", "no-such-store", "read");
    broken.getSpec().setBucket("cols-scoped");
    client.resource(broken).create();
    try {
      op.awaitReady(ns, "broken", "False", Reasons.STORE_NOT_FOUND);
      Map<String, Object> row = row(table("s3integrations"), "broken");
      assertThat(row)
          .as("the row of an integration whose store does not exist")
          .containsEntry("Ready", "False")
          .containsEntry("Store", "no-such-store")
          .containsEntry("Bucket", "cols-scoped")
          .containsEntry("Reason", Reasons.STORE_NOT_FOUND);
      assertThat((String) row.get("Message")).as("Message").contains("no-such-store");
    } finally {
      client.resource(broken).delete();
    }
  }

  @Test
  void s3accesspoliciesTableShowsReadyAndReason() throws Exception {
    JsonNode table = table("s3accesspolicies");
    assertThat(columns(table, 0))
        .as("columns kubectl get s3ap prints")
        .containsExactly("Name", "Ready", "Reason", "Age");
    assertThat(columns(table, 1))
        .as("columns kubectl get s3ap -o wide adds")
        .containsExactly("Message");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                readyReason(
                        client
                            .resources(S3AccessPolicy.class)
                            .inNamespace(ns)
                            .withName("read")
                            .get())
                    != null);
    Map<String, Object> row = row(table("s3accesspolicies"), "read");
    assertThat(row)
        .as("the row of the valid policy")
        .containsEntry("Name", "read")
        .containsEntry("Ready", "True")
        .containsEntry("Reason", "Valid");
  }

  @Test
  void s3storesTableShowsReadyEndpointAndHowManyIntegrationsUseIt() throws Exception {
    JsonNode table = table("s3stores");
    assertThat(columns(table, 0))
        .as("columns kubectl get s3s prints")
        .containsExactly("Name", "Ready", "Endpoint", "Integrations", "Age");
    assertThat(columns(table, 1)).containsExactly("Reason", "Message");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "1".equals(row(table("s3stores"), "minio").get("Integrations")));
    assertThat(row(table("s3stores"), "minio"))
        .containsEntry("Ready", "True")
        .containsEntry("Endpoint", minio.endpoint())
        .containsEntry("Reason", "AdminReady");
  }

  private static String readyReason(S3AccessPolicy p) {
    if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) {
      return null;
    }
    return p.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
        .map(Condition::getReason)
        .findFirst()
        .orElse(null);
  }

  /** GET the list as a Table, the way kubectl does. */
  private static JsonNode table(String plural) throws Exception {
    String url =
        client.getMasterUrl().toString().replaceAll("/$", "")
            + "/apis/s3.integrations.dev/v1alpha1/namespaces/"
            + ns
            + "/"
            + plural;
    HttpRequest request =
        client.getHttpClient().newHttpRequestBuilder().uri(url).header("Accept", TABLE).build();
    HttpResponse<String> response =
        client.getHttpClient().sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
    assertThat(response.code()).as("GET %s as Table: %s", url, response.body()).isEqualTo(200);
    JsonNode table = JSON.readTree(response.body());
    assertThat(table.path("kind").asText())
        .as("kind of the answer: %s", response.body())
        .isEqualTo("Table");
    return table;
  }

  private static List<String> columns(JsonNode table, int priority) {
    List<String> names = new ArrayList<>();
    for (JsonNode c : table.path("columnDefinitions")) {
      if (c.path("priority").asInt(0) == priority) {
        names.add(c.path("name").asText());
      }
    }
    return names;
  }

  /** The cells of the row named {@code name}, by column name. */
  private static Map<String, Object> row(JsonNode table, String name) {
    List<String> all = new ArrayList<>();
    table.path("columnDefinitions").forEach(c -> all.add(c.path("name").asText()));
    for (JsonNode r : table.path("rows")) {
      Map<String, Object> cells = new LinkedHashMap<>();
      for (int i = 0; i < all.size(); i++) {
        JsonNode cell = r.path("cells").path(i);
        cells.put(all.get(i), cell.isNull() || cell.isMissingNode() ? null : cell.asText());
      }
      if (name.equals(cells.get("Name"))) {
        return cells;
      }
    }
    throw new AssertionError("no row named " + name + " in " + table);
  }
}
