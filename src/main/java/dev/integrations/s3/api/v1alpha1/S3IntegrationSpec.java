package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One connection for the visualization service: store, credentials, grants and scope. */
@JsonClassDescription(
    "Desired state: which store, which credentials, which policies and which bucket; what the consumer's Secret is called; how often access is verified and keys are rotated.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.credentials.managed) || (has(self.accessPolicyRefs) &&"
            + " size(self.accessPolicyRefs) > 0)",
    message =
        "credentials.managed needs at least one entry in accessPolicyRefs: the user could read"
            + " nothing otherwise")
@ValidationRule(
    value = "!has(self.rotation) || has(self.credentials.managed)",
    message =
        "rotation needs credentials.managed: the operator cannot rotate keys it did not issue;"
            + " rotate your own keys in the Secret named by credentials.secretRef")
@ValidationRule(
    value = "has(self.bucket) || (has(self.accessPolicyRefs) && size(self.accessPolicyRefs) > 0)",
    message = "set bucket or accessPolicyRefs: without either there is nothing to verify")
public class S3IntegrationSpec {

  @Required
  @JsonPropertyDescription(
      "The store to use: a ClusterS3Store the platform allows this namespace, or an S3Store of"
          + " this namespace.")
  private StoreRef storeRef;

  @Required
  @JsonPropertyDescription(
      "Exactly one of managed (the store's admin creates the user; MinIO) or secretRef (your own"
          + " keys, validated only; any S3 system).")
  private CredentialsSpec credentials;

  @Size(max = 50)
  @JsonPropertyDescription("S3AccessPolicies (same namespace) whose grants this user receives.")
  private List<PolicyRef> accessPolicyRefs;

  @Size(min = 3, max = 63)
  @Pattern(ApiGroup.BUCKET_NAME_PATTERN)
  @ValidationRule(value = ApiGroup.BUCKET_DOTS_RULE, message = ApiGroup.BUCKET_DOTS_MESSAGE)
  @ValidationRule(value = ApiGroup.BUCKET_IP_RULE, message = ApiGroup.BUCKET_IP_MESSAGE)
  @ValidationRule(value = ApiGroup.BUCKET_RESERVED_RULE, message = ApiGroup.BUCKET_RESERVED_MESSAGE)
  @JsonPropertyDescription(
      "Scope the integration to one bucket (locators s3://<bucket>/*). Absent: it applies to all"
          + " buckets by default.")
  private String bucket;

  @Size(max = 253)
  @Pattern(ApiGroup.OBJECT_NAME_PATTERN)
  @JsonPropertyDescription("Name of the resolved-config Secret. Default: <name>-s3.")
  private String secretName;

  @JsonPropertyDescription("How often access is re-verified.")
  private VerificationSpec verification;

  @JsonPropertyDescription(
      "Key rotation (managed credentials only): a new key at this interval or when the"
          + " s3.integrations.dev/rotate annotation changes, the previous one valid for the"
          + " overlap.")
  private RotationSpec rotation;

  @Default("Delete")
  @JsonPropertyDescription(
      "Delete (default) removes the MinIO user and policy with this resource; Retain keeps them"
          + " on the storage with the policy detached, so the issued keys read nothing.")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Delete;

  public RotationSpec getRotation() {
    return rotation;
  }

  public void setRotation(RotationSpec rotation) {
    this.rotation = rotation;
  }

  public StoreRef getStoreRef() {
    return storeRef;
  }

  public void setStoreRef(StoreRef storeRef) {
    this.storeRef = storeRef;
  }

  public CredentialsSpec getCredentials() {
    return credentials;
  }

  public void setCredentials(CredentialsSpec credentials) {
    this.credentials = credentials;
  }

  public List<PolicyRef> getAccessPolicyRefs() {
    return accessPolicyRefs;
  }

  public void setAccessPolicyRefs(List<PolicyRef> accessPolicyRefs) {
    this.accessPolicyRefs = accessPolicyRefs;
  }

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public VerificationSpec getVerification() {
    return verification;
  }

  public void setVerification(VerificationSpec verification) {
    this.verification = verification;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }
}
