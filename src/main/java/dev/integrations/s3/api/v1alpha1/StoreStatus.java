package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a ClusterS3Store or S3Store. */
@JsonClassDescription(
    "Observed state, written by the operator: whether the endpoint answers and the admin keys work (Ready), the endpoint URL and how many S3Integrations use the store.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StoreStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready: the endpoint answers and, with admin, the admin keys administer it.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The URL the operator and consumers talk to.")
  private String endpointURL;

  @JsonPropertyDescription("How many S3Integrations use this store.")
  private Integer integrations;

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

  public String getEndpointURL() {
    return endpointURL;
  }

  public void setEndpointURL(String endpointURL) {
    this.endpointURL = endpointURL;
  }

  public Integer getIntegrations() {
    return integrations;
  }

  public void setIntegrations(Integer integrations) {
    this.integrations = integrations;
  }
}
