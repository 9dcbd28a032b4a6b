package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** How often access is re-checked with the issued credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VerificationSpec {

  @Pattern(Durations.CRD_PATTERN)
  @JsonPropertyDescription(
      "Interval between verifications, e.g. 30s, 10m, 1h30m. Default: the operator's setting"
          + " (10m).")
  private String interval;

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }
}
