package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Observed state of an {@link S3AccessPolicy}. */
@JsonClassDescription(
    "Observed state, written by the operator: whether the policy is valid (Ready) and the rendered policy document.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3AccessPolicyStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready: the spec is valid and rendered into status.document.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The exact policy JSON this resource renders to.")
  private String document;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getDocument() {
    return document;
  }

  public void setDocument(String document) {
    this.document = document;
  }
}
