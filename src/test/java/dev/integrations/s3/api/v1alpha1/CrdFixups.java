package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What fabric8's crd-generator 7.5.2 cannot be told through annotations, applied to its output
 * before the CRDs are committed ({@code scripts/update-crds}, {@link CrdsUpToDateTest}):
 *
 * <ul>
 *   <li>printer columns in the order the annotations declare (the generator sorts them by JSON
 *       path);
 *   <li>descriptions of the kind, spec and status (the generator ignores {@link
 *       JsonClassDescription}; the classes carry it, so the text lives beside the Java type);
 *   <li>{@code status.conditions} as a list keyed by {@code type} ({@code x-kubernetes-list-type:
 *       map}), so that server-side apply and strategic tools merge conditions by type;
 *   <li>descriptions of the Kubernetes types the API embeds ({@code metav1.Condition}, {@code
 *       metav1.LabelSelector}), whose fabric8 model classes carry none, worded after the Kubernetes
 *       API reference.
 * </ul>
 */
final class CrdFixups {
  static final Map<String, String> CONDITION =
      Map.of(
          "type",
          "The condition's type in CamelCase, e.g. Ready; unique within the list.",
          "status",
          "True, False or Unknown.",
          "reason",
          "A CamelCase identifier of why the condition has its status (see the README's reasons).",
          "message",
          "Human-readable details of the last transition; may be empty.",
          "lastTransitionTime",
          "When the status last changed (RFC 3339).",
          "observedGeneration",
          "The metadata.generation the condition was set for; older than the resource's"
              + " generation means the operator has not yet acted on the latest spec.");

  static final Map<String, String> LABEL_SELECTOR =
      Map.of(
          "matchLabels",
          "{key: value} pairs; each is equivalent to a matchExpressions element with operator In"
              + " and that one value. All requirements are ANDed.",
          "matchExpressions",
          "Label selector requirements; all requirements are ANDed.",
          "key",
          "The label key the requirement applies to.",
          "operator",
          "The key's relationship to the values: In, NotIn, Exists or DoesNotExist.",
          "values",
          "The values for In and NotIn (non-empty); empty for Exists and DoesNotExist.");

  private CrdFixups() {}

  static void apply(Class<?> kind, CustomResourceDefinition crd) {
    List<String> declared =
        Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    Type[] specAndStatus =
        ((ParameterizedType) kind.getGenericSuperclass()).getActualTypeArguments();
    for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns =
          new ArrayList<>(v.getAdditionalPrinterColumns());
      columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
      v.setAdditionalPrinterColumns(columns);

      JSONSchemaProps root = v.getSchema().getOpenAPIV3Schema();
      root.setDescription(description(kind));
      JSONSchemaProps spec = root.getProperties().get("spec");
      spec.setDescription(description((Class<?>) specAndStatus[0]));
      JSONSchemaProps status = root.getProperties().get("status");
      status.setDescription(description((Class<?>) specAndStatus[1]));

      JSONSchemaProps conditions = status.getProperties().get("conditions");
      conditions.setXKubernetesListType("map");
      conditions.setXKubernetesListMapKeys(List.of("type"));
      JSONSchemaProps condition = conditions.getItems().getSchema();
      // A map key must be required (or defaulted): the API server refuses the CRD otherwise.
      Set<String> required = new LinkedHashSet<>(List.of("type", "status"));
      if (condition.getRequired() != null) {
        required.addAll(condition.getRequired());
      }
      condition.setRequired(new ArrayList<>(required));
      describe(condition, CONDITION);
      describeLabelSelectors(root);
    }
  }

  private static String description(Class<?> type) {
    JsonClassDescription d = type.getAnnotation(JsonClassDescription.class);
    if (d == null || d.value().isBlank()) {
      throw new IllegalStateException(type + " needs a @JsonClassDescription for kubectl explain");
    }
    return d.value();
  }

  private static void describeLabelSelectors(JSONSchemaProps schema) {
    if (schema == null) {
      return;
    }
    Map<String, JSONSchemaProps> properties = schema.getProperties();
    if (properties != null
        && properties.keySet().equals(Set.of("matchLabels", "matchExpressions"))) {
      describe(schema, LABEL_SELECTOR);
      describe(properties.get("matchExpressions").getItems().getSchema(), LABEL_SELECTOR);
      return;
    }
    if (properties != null) {
      properties.values().forEach(CrdFixups::describeLabelSelectors);
    }
    if (schema.getItems() != null) {
      describeLabelSelectors(schema.getItems().getSchema());
    }
  }

  /** Sets the missing descriptions of the schema's properties from the table. */
  private static void describe(JSONSchemaProps object, Map<String, String> table) {
    object
        .getProperties()
        .forEach(
            (name, p) -> {
              if (p.getDescription() == null && table.containsKey(name)) {
                p.setDescription(table.get(name));
              }
            });
  }
}
