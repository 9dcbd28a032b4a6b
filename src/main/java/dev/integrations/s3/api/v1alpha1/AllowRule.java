package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** Which namespaces may read which buckets (and key prefixes) of a store. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AllowRule {

  @JsonPropertyDescription(
      "Namespaces this rule applies to, by their labels ({} is every namespace). Required on a"
          + " ClusterS3Store; an S3Store serves only its own namespace and must leave it out.")
  private LabelSelector namespaceSelector;

  @Required
  @Size(min = 1, max = 100)
  @JsonPropertyDescription(
      "Bucket names or globs (* any characters, ? one character), e.g. share-with-kolena or"
          + " vision-*.")
  private List<@Pattern(ApiGroup.BUCKET_GLOB_PATTERN) String> buckets;

  @Size(max = 50)
  @ValidationRule(
      value = "self.all(p, !p.startsWith('/') && !p.contains('*') && !p.contains('?'))",
      message = "a prefix must not start with '/' or contain wildcards")
  @JsonPropertyDescription(
      "Optional key prefixes the rule limits reads to (e.g. images/). Absent: whole buckets.")
  private List<@Size(min = 1, max = 1024) String> prefixes;

  public LabelSelector getNamespaceSelector() {
    return namespaceSelector;
  }

  public void setNamespaceSelector(LabelSelector namespaceSelector) {
    this.namespaceSelector = namespaceSelector;
  }

  public List<String> getBuckets() {
    return buckets;
  }

  public void setBuckets(List<String> buckets) {
    this.buckets = buckets;
  }

  public List<String> getPrefixes() {
    return prefixes;
  }

  public void setPrefixes(List<String> prefixes) {
    this.prefixes = prefixes;
  }
}
