package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A Secret holding an access key and a secret key. There is no namespace field: a tenant's
 * reference stays in its namespace, and a store's admin Secret is where the store keeps its Secrets
 * (the operator's namespace for a ClusterS3Store).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeyPairSecretRef {

  @Required
  @Size(max = 253)
  @Pattern(ApiGroup.OBJECT_NAME_PATTERN)
  @JsonPropertyDescription(
      "Name of the Secret (credentials.secretRef: in the integration's namespace; a store's"
          + " admin: where the store keeps its Secrets).")
  private String name;

  @Default("accessKey")
  @Pattern(ApiGroup.SECRET_KEY_PATTERN)
  @JsonPropertyDescription("Key in the Secret that holds the access key. Default: accessKey.")
  private String accessKeyKey = "accessKey";

  @Default("secretKey")
  @Pattern(ApiGroup.SECRET_KEY_PATTERN)
  @JsonPropertyDescription("Key in the Secret that holds the secret key. Default: secretKey.")
  private String secretKeyKey = "secretKey";

  public KeyPairSecretRef() {}

  public KeyPairSecretRef(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getAccessKeyKey() {
    return accessKeyKey;
  }

  public void setAccessKeyKey(String accessKeyKey) {
    this.accessKeyKey = accessKeyKey;
  }

  public String getSecretKeyKey() {
    return secretKeyKey;
  }

  public void setSecretKeyKey(String secretKeyKey) {
    this.secretKeyKey = secretKeyKey;
  }
}
