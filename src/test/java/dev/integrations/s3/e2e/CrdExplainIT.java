package dev.integrations.s3.e2e;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.clusterStore;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.testing.KubeApiServer;
import dev.integrations.s3.testing.MinioServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CRDs describe themselves to kubectl on the real API server: {@code kubectl get s3} lists
 * every kind (the category); {@code kubectl explain} prints a description for each kind and every
 * field below it, never {@code <empty>} or {@code <no description>}; and the OpenAPI v3 document
 * the server publishes (what kubectl explain, kubectl's validation and IDEs read) keeps them, with
 * the conditions as a list keyed by type.
 */
class CrdExplainIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> PLURALS =
      List.of("s3integrations", "s3accesspolicies", "s3stores", "clusters3stores");
  static final Path CACHE =
      Path.of(System.getProperty("project.basedir", "."), "target", "kubectl-cache")
          .toAbsolutePath();
  static KubeApiServer kube;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws IOException {
    if (Files.exists(CACHE)) {
      try (Stream<Path> files = Files.walk(CACHE)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
    kube = KubeApiServer.shared();
    client = kube.client();
  }

  @Test
  void kubectlGetS3ListsEveryKind() throws Exception {
    String ns = kube.createNamespace("cat");
    String name = "cat-" + MinioServer.randomSuffix();
    client.resource(adminSecret(ns, "admin", "a", "b")).create();
    client.resource(store(ns, name, "minio.example", 9000, "admin")).create();
    client.resource(policy(ns, name, "cat-bucket")).create();
    client.resource(managed(ns, name, name, name)).create();
    client.resource(clusterStore(name, "minio.example", 9000, "admin")).create();
    try {
      // The API server publishes a CRD's categories in discovery a moment after it is established.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Run get = kubectl("get", ApiGroup.CATEGORY, "-A", "-o", "name");
                assertThat(get.exit).as("kubectl get s3:\n%s", get.all()).isZero();
                assertThat(get.out.lines())
                    .contains(
                        "s3integration.s3.integrations.dev/" + name,
                        "s3accesspolicy.s3.integrations.dev/" + name,
                        "s3store.s3.integrations.dev/" + name,
                        "clusters3store.s3.integrations.dev/" + name);
              });
    } finally {
      client.resources(ClusterS3Store.class).withName(name).delete();
    }
  }

  @Test
  void kubectlExplainDescribesEveryKindAndField() throws Exception {
    for (String plural : PLURALS) {
      CustomResourceDefinition crd =
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(plural + "." + ApiGroup.GROUP)
              .get();
      List<String> objects = new ArrayList<>();
      objectPaths(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), "", objects);
      assertThat(objects).as("object fields of %s", plural).contains("", ".spec", ".status");
      for (String path : objects) {
        Run explain = kubectl("explain", plural + path);
        assertThat(explain.exit)
            .as("kubectl explain %s%s:\n%s", plural, path, explain.all())
            .isZero();
        assertThat(explain.out)
            .as("kubectl explain %s%s", plural, path)
            .contains("DESCRIPTION:")
            .doesNotContain("<empty>")
            .doesNotContain("<no description>");
      }
      Run recursive = kubectl("explain", plural, "--recursive");
      assertThat(recursive.exit).as("kubectl explain --recursive:\n%s", recursive.all()).isZero();
      assertThat(recursive.out).doesNotContain("<empty>").contains("conditions");
    }
  }

  @Test
  void publishedOpenApiDescribesEveryFieldAndKeysConditionsByType() throws Exception {
    String body =
        client.raw("/openapi/v3/apis/" + ApiGroup.GROUP + "/" + ApiGroup.VERSION).toString();
    JsonNode schemas = JSON.readTree(body).path("components").path("schemas");
    int kinds = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = schemas.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().startsWith("dev.integrations.s3.") || e.getKey().endsWith("List")) {
        continue;
      }
      kinds++;
      List<String> undescribed = new ArrayList<>();
      undescribed(e.getValue(), e.getKey(), undescribed);
      assertThat(undescribed).as("fields without a description").isEmpty();
      JsonNode conditions = e.getValue().at("/properties/status/properties/conditions");
      assertThat(conditions.path("x-kubernetes-list-type").asText()).isEqualTo("map");
      assertThat(conditions.path("x-kubernetes-list-map-keys").toString()).isEqualTo("[\"type\"]");
    }
    assertThat(kinds).as("kinds in the published OpenAPI v3 document").isEqualTo(4);
  }

  /** Paths of the fields that hold objects (arrays of objects included), from the root down. */
  static void objectPaths(JSONSchemaProps schema, String path, List<String> out) {
    JSONSchemaProps inner = schema.getItems() != null ? schema.getItems().getSchema() : schema;
    if (inner.getProperties() == null || inner.getProperties().isEmpty()) {
      return;
    }
    out.add(path);
    inner.getProperties().forEach((name, p) -> objectPaths(p, path + "." + name, out));
  }

  /** Every property below {@code node} (through arrays and maps) that has no description. */
  static void undescribed(JsonNode node, String path, List<String> out) {
    if (node.path("description").asText("").isBlank()) {
      out.add(path);
    }
    JsonNode inner = node;
    while (inner.has("items") || inner.path("additionalProperties").isObject()) {
      inner = inner.has("items") ? inner.get("items") : inner.get("additionalProperties");
    }
    if (inner.has("allOf")) {
      // A $ref to an API server type (ObjectMeta), described where it is defined.
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = inner.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      undescribed(p.getValue(), path + "." + p.getKey(), out);
    }
  }

  record Run(int exit, String out, String err) {
    String all() {
      return out + "\n--- stderr ---\n" + err;
    }
  }

  static Run kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(kube.kubectl().toString());
    command.add("--kubeconfig=" + kube.kubeConfigFile());
    // A discovery cache of its own: never one of another API server that had the same port.
    command.add("--cache-dir=" + CACHE);
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }
}
