package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** One bucket an {@link S3AccessPolicy} grants read access to, optionally limited to prefixes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BucketAccess {

  @Required
  @Size(min = 3, max = 63)
  @Pattern(ApiGroup.BUCKET_NAME_PATTERN)
  @ValidationRule(value = ApiGroup.BUCKET_DOTS_RULE, message = ApiGroup.BUCKET_DOTS_MESSAGE)
  @ValidationRule(value = ApiGroup.BUCKET_IP_RULE, message = ApiGroup.BUCKET_IP_MESSAGE)
  @ValidationRule(value = ApiGroup.BUCKET_RESERVED_RULE, message = ApiGroup.BUCKET_RESERVED_MESSAGE)
  @JsonPropertyDescription(
      "Bucket name, following the S3 bucket naming rules (3-63 characters: lower-case letters,"
          + " digits, dots and hyphens).")
  private String name;

  @Size(max = 50)
  @ValidationRule(
      value = "self.all(p, !p.startsWith('/'))",
      message = "a prefix must not start with '/': keys are relative to the bucket")
  @ValidationRule(
      value = "self.all(p, !p.contains('*') && !p.contains('?'))",
      message = "a prefix must not contain wildcards (* or ?): the operator adds them")
  @JsonPropertyDescription(
      "Optional key prefixes (for example images/) that limit reads to those keys. Absent or"
          + " empty: the whole bucket.")
  private List<@Size(min = 1, max = 1024) String> prefixes;

  public BucketAccess() {}

  public BucketAccess(String name, List<String> prefixes) {
    this.name = name;
    this.prefixes = prefixes;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<String> getPrefixes() {
    return prefixes;
  }

  public void setPrefixes(List<String> prefixes) {
    this.prefixes = prefixes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BucketAccess b
        && Objects.equals(name, b.name)
        && Objects.equals(prefixes, b.prefixes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, prefixes);
  }
}
