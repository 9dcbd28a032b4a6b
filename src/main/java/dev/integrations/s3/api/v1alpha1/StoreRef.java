package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Which store an S3Integration uses: a ClusterS3Store, or an S3Store of its own namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StoreRef {

  @Default("ClusterS3Store")
  @JsonPropertyDescription(
      "ClusterS3Store (default: platform-owned) or S3Store (in this namespace).")
  private StoreKind kind = StoreKind.ClusterS3Store;

  @Required
  @Size(min = 1, max = 253)
  @Pattern(ApiGroup.OBJECT_NAME_PATTERN)
  @JsonPropertyDescription("Name of the store.")
  private String name;

  public StoreRef() {}

  public StoreRef(StoreKind kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  public StoreKind getKind() {
    return kind;
  }

  public void setKind(StoreKind kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
