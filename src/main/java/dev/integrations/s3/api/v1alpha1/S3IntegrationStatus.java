package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Observed state of an {@link S3Integration}. */
@JsonClassDescription(
    "Observed state, written by the operator: the conditions of each step (Ready aggregates them), what the spec resolved to (store, endpoint, scope, Secret) and the result of the last access verification.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3IntegrationStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "CredentialsReady, PolicyApplied, AccessVerified, SecretReady and Ready (all of them).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("\"all\", or the one bucket this integration is scoped to.")
  private String scope;

  @JsonPropertyDescription("The store in use: <kind>/<name>.")
  private String store;

  @JsonPropertyDescription(
      "The MinIO user the operator manages for this integration (managed mode).")
  private String userName;

  @JsonPropertyDescription(
      "The access key given in credentials.secretRef (validate-only mode), once the keys"
          + " authenticate; left out when the value has not an access key's shape.")
  private String accessKeyId;

  @JsonPropertyDescription("The MinIO policy attached to that user (managed mode).")
  private String policyName;

  @JsonPropertyDescription("The resolved-config Secret for consumers.")
  private String secretName;

  @JsonPropertyDescription("The URL the operator and consumers talk to.")
  private String endpointURL;

  @JsonPropertyDescription("Per-bucket results of the last verification.")
  private List<BucketStatus> buckets;

  @JsonPropertyDescription(
      "When the verification results (buckets) last changed, verified with the issued"
          + " credentials. Verification repeats every interval; an unchanged result is not written"
          + " again (s3_operator_verifications_total counts every run).")
  private String lastVerifiedTime;

  @JsonPropertyDescription(
      "The last value of the s3.integrations.dev/verify annotation a verification ran for (at"
          + " least 10 s after the one before it); lastVerifiedTime is when. A new value runs one"
          + " verification, the same value none.")
  private String lastVerifyRequest;

  @JsonPropertyDescription(
      "Managed credentials: the key the Secret holds, when it was issued, the next rotation, and"
          + " the previous key while it overlaps. Never a secret.")
  private RotationStatus rotation;

  public String getLastVerifyRequest() {
    return lastVerifyRequest;
  }

  public void setLastVerifyRequest(String lastVerifyRequest) {
    this.lastVerifyRequest = lastVerifyRequest;
  }

  public RotationStatus getRotation() {
    return rotation;
  }

  public void setRotation(RotationStatus rotation) {
    this.rotation = rotation;
  }

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

  public String getScope() {
    return scope;
  }

  public void setScope(String scope) {
    this.scope = scope;
  }

  public String getStore() {
    return store;
  }

  public void setStore(String store) {
    this.store = store;
  }

  public String getAccessKeyId() {
    return accessKeyId;
  }

  public void setAccessKeyId(String accessKeyId) {
    this.accessKeyId = accessKeyId;
  }

  public String getUserName() {
    return userName;
  }

  public void setUserName(String userName) {
    this.userName = userName;
  }

  public String getPolicyName() {
    return policyName;
  }

  public void setPolicyName(String policyName) {
    this.policyName = policyName;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public String getEndpointURL() {
    return endpointURL;
  }

  public void setEndpointURL(String endpointURL) {
    this.endpointURL = endpointURL;
  }

  public List<BucketStatus> getBuckets() {
    return buckets;
  }

  public void setBuckets(List<BucketStatus> buckets) {
    this.buckets = buckets;
  }

  public String getLastVerifiedTime() {
    return lastVerifiedTime;
  }

  public void setLastVerifiedTime(String lastVerifiedTime) {
    this.lastVerifiedTime = lastVerifiedTime;
  }
}
