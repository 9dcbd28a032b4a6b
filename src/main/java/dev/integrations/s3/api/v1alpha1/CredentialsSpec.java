package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Exactly one of {@code managed} (MinIO) or {@code secretRef} (any S3 system). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.managed) != has(self.secretRef)",
    message = "exactly one of credentials.managed or credentials.secretRef must be set")
public class CredentialsSpec {

  @JsonPropertyDescription(
      "MinIO: the operator creates a service user and applies the read policy with these admin"
          + " credentials.")
  private ManagedCredentials managed;

  @JsonPropertyDescription(
      "Any S3-compatible system: existing keys, only validated, never written to the storage.")
  private KeyPairSecretRef secretRef;

  public ManagedCredentials getManaged() {
    return managed;
  }

  public void setManaged(ManagedCredentials managed) {
    this.managed = managed;
  }

  public KeyPairSecretRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(KeyPairSecretRef secretRef) {
    this.secretRef = secretRef;
  }
}
