package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/**
 * Transport security towards the storage endpoint. There is deliberately no option to skip
 * certificate checks: a private CA is configured with {@code caSecretRef}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSpec {

  @Default("true")
  @JsonPropertyDescription("Use HTTPS. Default: true.")
  private Boolean enabled = Boolean.TRUE;

  @JsonPropertyDescription("CA bundle that signed the endpoint's certificate, if not a public CA.")
  private CaSecretRef caSecretRef;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public CaSecretRef getCaSecretRef() {
    return caSecretRef;
  }

  public void setCaSecretRef(CaSecretRef caSecretRef) {
    this.caSecretRef = caSecretRef;
  }
}
