package dev.integrations.s3.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRDs under {@code crds/} (and the Helm chart's copy) must be what the build generates from
 * the Java classes. The build's crd-generator writes them to {@code
 * target/classes/META-INF/fabric8}; this test applies the fix-ups the generator cannot be told to
 * do ({@link CrdFixups}: printer-column order, kind/spec/status descriptions, conditions as a
 * map-keyed list, descriptions of embedded Kubernetes types) and fails when the committed copy
 * differs. {@code scripts/update-crds} rewrites them.
 */
class CrdsUpToDateTest {
  static final Path ROOT = Path.of(System.getProperty("project.basedir", "."));
  static final String HEADER =
      "# Generated from src/main/java/dev/integrations/s3/api/v1alpha1 by the build"
          + " (scripts/update-crds). Do not edit.\n";

  @ParameterizedTest
  @ValueSource(
      classes = {S3Integration.class, S3AccessPolicy.class, ClusterS3Store.class, S3Store.class})
  void committedCrdMatchesGeneratedOne(Class<? extends CustomResource<?, ?>> type)
      throws IOException {
    String crdName = CustomResource.getCRDName(type);
    String expected = HEADER + render(type, crdName);
    List<Path> copies = new ArrayList<>(List.of(ROOT.resolve("crds").resolve(crdName + ".yaml")));
    Path chart = ROOT.resolve("helm/s3-integration-operator/crds");
    if (Files.isDirectory(chart.getParent())) {
      copies.add(chart.resolve(crdName + ".yaml"));
    }
    for (Path copy : copies) {
      if ("true".equals(System.getProperty("crds.update"))) {
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, expected, StandardCharsets.UTF_8);
      }
      assertThat(copy)
          .as("%s is stale or missing: run scripts/update-crds and commit the result", copy)
          .exists();
      assertThat(Files.readString(copy, StandardCharsets.UTF_8))
          .as("%s is stale: run scripts/update-crds and commit the result", copy)
          .isEqualTo(expected);
    }
  }

  /**
   * What {@code kubectl explain} prints never says {@code <empty>} or {@code <no description>}: the
   * kind, spec, status and every field below them have a description (array items and map values
   * are described by their field). The conditions are a list keyed by type, and every kind is in
   * the {@code s3} category. CrdExplainIT checks the same through the real kubectl.
   */
  @ParameterizedTest
  @ValueSource(
      classes = {S3Integration.class, S3AccessPolicy.class, ClusterS3Store.class, S3Store.class})
  void generatedCrdIsSelfDescribing(Class<? extends CustomResource<?, ?>> type) throws IOException {
    String crdName = CustomResource.getCRDName(type);
    // What the build generates, fixed up: committedCrdMatchesGeneratedOne holds crds/ to it.
    CustomResourceDefinition crd =
        Serialization.unmarshal(render(type, crdName), CustomResourceDefinition.class);
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly(ApiGroup.CATEGORY);
    for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
      JSONSchemaProps root = v.getSchema().getOpenAPIV3Schema();
      List<String> undescribed = new ArrayList<>();
      undescribed(root, crd.getSpec().getNames().getKind(), undescribed);
      assertThat(undescribed).as("fields of %s without a description", crdName).isEmpty();
      JSONSchemaProps conditions =
          root.getProperties().get("status").getProperties().get("conditions");
      assertThat(conditions.getXKubernetesListType()).isEqualTo("map");
      assertThat(conditions.getXKubernetesListMapKeys()).containsExactly("type");
      assertThat(conditions.getItems().getSchema().getRequired()).contains("type");
    }
  }

  static void undescribed(JSONSchemaProps schema, String path, List<String> out) {
    if (schema.getDescription() == null || schema.getDescription().isBlank()) {
      out.add(path);
    }
    JSONSchemaProps inner = schema;
    while (inner.getItems() != null || isMap(inner)) {
      inner =
          inner.getItems() != null
              ? inner.getItems().getSchema()
              : inner.getAdditionalProperties().getSchema();
    }
    if (inner.getProperties() != null) {
      inner.getProperties().forEach((name, p) -> undescribed(p, path + "." + name, out));
    }
  }

  private static boolean isMap(JSONSchemaProps s) {
    return s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null;
  }

  /** Every CRD the build generates is committed (a new kind cannot be forgotten above). */
  @org.junit.jupiter.api.Test
  void everyGeneratedCrdIsCommitted() throws IOException {
    try (var generated = Files.list(ROOT.resolve("target/classes/META-INF/fabric8"))) {
      for (Path g : generated.toList()) {
        String name = g.getFileName().toString().replace("-v1.yml", ".yaml");
        assertThat(ROOT.resolve("crds").resolve(name)).as("crds/%s", name).exists();
      }
    }
  }

  static String render(Class<?> type, String crdName) throws IOException {
    Path generated = ROOT.resolve("target/classes/META-INF/fabric8").resolve(crdName + "-v1.yml");
    assertThat(generated).as("the build's crd-generator output").exists();
    CustomResourceDefinition crd;
    try (InputStream in = Files.newInputStream(generated)) {
      crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
    CrdFixups.apply(type, crd);
    return Serialization.asYaml(crd).replaceFirst("^---\n", "");
  }
}
