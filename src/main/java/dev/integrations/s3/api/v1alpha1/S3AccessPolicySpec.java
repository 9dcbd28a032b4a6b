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
@ValidationRule(
    value = S3AccessPolicySpec.PREFIX_COUNT_RULE,
    message = S3AccessPolicySpec.PREFIX_COUNT_MESSAGE)
@ValidationRule(
    value = S3AccessPolicySpec.PREFIX_CHARS_RULE,
    message = S3AccessPolicySpec.PREFIX_CHARS_MESSAGE)
public class S3AccessPolicySpec {

  /**
   * Prefixes over all buckets. A prefix is rendered as {@code "arn:aws:s3:::<bucket>/<prefix>*"}
   * for any object action, at least 22 bytes of the document with its comma, so beyond about 930
   * prefixes (20,480 / 22) no document with an object action fits under {@code
   * PolicyDocument.MAX_BYTES}; 1,000 leaves that and refuses only what can never render. Without
   * it, 100 buckets of 50 prefixes were 5,000 strings in every cached copy.
   */
  public static final int MAX_PREFIXES = 1000;

  /**
   * Characters of all prefixes together. Every prefix that grants anything appears whole in the
   * rendered document at least once (in the ListBucket condition or the object resource; a prefix
   * that a shorter one covers, or one with only s3:GetBucketLocation, grants nothing), so more than
   * {@code PolicyDocument.MAX_BYTES} (20 KiB) characters of them can never render. Before, 5,000
   * prefixes of 1,024 characters made a 5 MB policy; now a policy's spec is at most about 33 KB of
   * JSON.
   */
  public static final int MAX_PREFIX_CHARACTERS = 20 * 1024;

  static final String PREFIX_COUNT_RULE =
      "self.buckets.map(b, has(b.prefixes) ? size(b.prefixes) : 0).sum() <= " + MAX_PREFIXES;
  static final String PREFIX_COUNT_MESSAGE =
      "at most "
          + MAX_PREFIXES
          + " prefixes over all buckets: a policy with more cannot render within MinIO's"
          + " 20 KiB policy limit";
  static final String PREFIX_CHARS_RULE =
      "self.buckets.map(b, has(b.prefixes) ? b.prefixes.map(p, size(p)).sum() : 0).sum() <= "
          + MAX_PREFIX_CHARACTERS;
  static final String PREFIX_CHARS_MESSAGE =
      "at most "
          + MAX_PREFIX_CHARACTERS
          + " characters of prefixes over all buckets: every prefix appears in the rendered"
          + " policy, which MinIO limits to 20 KiB";

  @Required
  @Size(min = 1, max = 100)
  @JsonPropertyDescription(
      "Buckets this policy grants read access to (1 to 100), with at most 1000 prefixes and"
          + " 20480 characters of prefixes over all of them.")
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
