package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What may be read: buckets, optional prefixes, and read-only actions. */
@JsonClassDescription(
    "Desired state: the buckets (and prefixes) to grant and the S3 actions allowed on them.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3AccessPolicySpec {

  @Required
  @Size(min = 1, max = 100)
  @JsonPropertyDescription("Buckets this policy grants read access to (1 to 100).")
  private List<BucketAccess> buckets;

  @Size(min = 1, max = 4)
  @ValidationRule(
      value =
          "self.all(a, a in ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation',"
              + " 's3:GetObjectVersion'])",
      message =
          "only read actions are allowed: s3:GetObject, s3:ListBucket, s3:GetBucketLocation,"
              + " s3:GetObjectVersion")
  @JsonPropertyDescription(
      "Read actions to grant. Default: s3:GetObject and s3:ListBucket. Write actions are refused.")
  private List<@Size(max = 64) String> actions;

  public List<BucketAccess> getBuckets() {
    return buckets;
  }

  public void setBuckets(List<BucketAccess> buckets) {
    this.buckets = buckets;
  }

  public List<String> getActions() {
    return actions;
  }

  public void setActions(List<String> actions) {
    this.actions = actions;
  }
}
