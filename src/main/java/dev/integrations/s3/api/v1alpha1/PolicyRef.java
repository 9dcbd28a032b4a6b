package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A reference to an {@link S3AccessPolicy} in the same namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyRef {

  @Required
  @Size(max = 253)
  @Pattern(ApiGroup.OBJECT_NAME_PATTERN)
  @JsonPropertyDescription("Name of the S3AccessPolicy, in the same namespace.")
  private String name;

  public PolicyRef() {}

  public PolicyRef(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
