package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Where an S3-compatible storage is, how to reach it, whether the operator may administer it, and
 * who may use it. The spec of both ClusterS3Store and S3Store.
 */
@JsonClassDescription(
    "Desired state: the endpoint and how to reach it (port, region, addressing style, TLS), the admin keys the operator creates users with, key rotation and which buckets may be used.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StoreSpec {

  @Required
  @Size(min = 1, max = 253)
  @Pattern(ApiGroup.ENDPOINT_PATTERN)
  @JsonPropertyDescription(
      "Host name or IP address (v4 or v6) of the S3 service, without scheme, port or path (e.g."
          + " minio.storage.svc).")
  private String endpoint;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Optional port (1-65535). Absent: 443 with TLS, 80 without.")
  private Integer port;

  @Default("us-east-1")
  @Size(min = 1, max = 64)
  @Pattern("^[A-Za-z0-9_-]+$")
  @JsonPropertyDescription("Region the buckets are accessed from. Default: us-east-1.")
  private String region = "us-east-1";

  @Default("path")
  @JsonPropertyDescription("path (default) or virtual-host style bucket addressing.")
  private AddressingStyle addressingStyle = AddressingStyle.PATH;

  @Size(max = 300)
  @Pattern(ApiGroup.PUBLIC_ENDPOINT_PATTERN)
  @JsonPropertyDescription(
      "Optional browser-facing base URL, http(s)://host[:port] (e.g. https://s3.example.com), for"
          + " when browsers reach the storage by another name than the endpoint. Written to the"
          + " output Secret as S3_PUBLIC_ENDPOINT_URL; presigned URLs name it. The operator checks"
          + " it with the issued keys when it can reach it (condition PublicEndpointVerified).")
  private String publicEndpoint;

  @JsonPropertyDescription(
      "TLS towards the endpoint. Enabled by default. The CA Secret lives where the admin Secret"
          + " does.")
  private TlsSpec tls;

  @JsonPropertyDescription(
      "Admin keys: with them the operator creates users and applies policies (MinIO). Absent:"
          + " a validate-only store (Oracle, HCP, ...) where tenants bring their own keys.")
  private StoreAdmin admin;

  @JsonPropertyDescription("Key rotation the store asks of its managed integrations.")
  private StoreRotation rotation;

  @Size(max = 50)
  @JsonPropertyDescription(
      "Which namespaces may use the store, for which buckets. A ClusterS3Store serves no"
          + " namespace without a matching rule; an S3Store without rules serves every bucket to"
          + " its own namespace.")
  private List<AllowRule> allow;

  public StoreRotation getRotation() {
    return rotation;
  }

  public void setRotation(StoreRotation rotation) {
    this.rotation = rotation;
  }

  public String getPublicEndpoint() {
    return publicEndpoint;
  }

  public void setPublicEndpoint(String publicEndpoint) {
    this.publicEndpoint = publicEndpoint;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public AddressingStyle getAddressingStyle() {
    return addressingStyle;
  }

  public void setAddressingStyle(AddressingStyle addressingStyle) {
    this.addressingStyle = addressingStyle;
  }

  public TlsSpec getTls() {
    return tls;
  }

  public void setTls(TlsSpec tls) {
    this.tls = tls;
  }

  public StoreAdmin getAdmin() {
    return admin;
  }

  public void setAdmin(StoreAdmin admin) {
    this.admin = admin;
  }

  public List<AllowRule> getAllow() {
    return allow;
  }

  public void setAllow(List<AllowRule> allow) {
    this.allow = allow;
  }
}
