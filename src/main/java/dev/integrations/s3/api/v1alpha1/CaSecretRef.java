package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A PEM CA bundle in a Secret (or the key of one) where the store keeps its Secrets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CaSecretRef {

  @Required
  @Size(max = 253)
  @Pattern(ApiGroup.OBJECT_NAME_PATTERN)
  @JsonPropertyDescription(
      "Name of the Secret: in the operator's namespace for a ClusterS3Store, in the store's own"
          + " namespace for an S3Store.")
  private String name;

  @Default("ca.crt")
  @Pattern(ApiGroup.SECRET_KEY_PATTERN)
  @JsonPropertyDescription("Key holding the PEM bundle. Default: ca.crt.")
  private String key = "ca.crt";

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
