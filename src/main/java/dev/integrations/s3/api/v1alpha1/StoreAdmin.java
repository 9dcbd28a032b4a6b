package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The storage's admin keys: with them the operator creates users and applies policies. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StoreAdmin {

  @Required
  @JsonPropertyDescription(
      "Secret with the admin's access key and secret key (keys accessKey / secretKey): in the"
          + " operator's namespace for a ClusterS3Store, in the store's own namespace for an"
          + " S3Store. Tenants never reference it.")
  private KeyPairSecretRef secretRef;

  @Size(max = 32)
  @Pattern(ApiGroup.USER_PREFIX_PATTERN)
  @JsonPropertyDescription(
      "Prefix of every MinIO user the operator creates on this storage (and of their policies,"
          + " s3i-<prefix>...), e.g. k8s-prod. Users under it are the operator's alone.")
  private String userPrefix;

  public KeyPairSecretRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(KeyPairSecretRef secretRef) {
    this.secretRef = secretRef;
  }

  public String getUserPrefix() {
    return userPrefix;
  }

  public void setUserPrefix(String userPrefix) {
    this.userPrefix = userPrefix;
  }
}
