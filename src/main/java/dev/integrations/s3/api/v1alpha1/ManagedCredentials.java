package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** MinIO: the operator creates the service user and applies the read policy itself. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ManagedCredentials {

  @Required
  @JsonPropertyDescription(
      "Secret with the MinIO admin's access key and secret key (keys accessKey / secretKey).")
  private KeyPairSecretRef adminSecretRef;

  @Size(min = 3, max = 64)
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._@-]*$")
  @JsonPropertyDescription(
      "Name of the MinIO service user. Default: derived from namespace and name.")
  private String userName;

  public KeyPairSecretRef getAdminSecretRef() {
    return adminSecretRef;
  }

  public void setAdminSecretRef(KeyPairSecretRef adminSecretRef) {
    this.adminSecretRef = adminSecretRef;
  }

  public String getUserName() {
    return userName;
  }

  public void setUserName(String userName) {
    this.userName = userName;
  }
}
