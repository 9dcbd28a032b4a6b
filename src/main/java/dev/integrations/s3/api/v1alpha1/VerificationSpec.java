package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** How often access is re-checked with the issued credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VerificationSpec {

  @Size(max = Durations.MAX_LENGTH)
  @Pattern(Durations.CRD_PATTERN)
  @ValidationRule(value = Durations.INTERVAL_RULE, message = Durations.INTERVAL_MESSAGE)
  @JsonPropertyDescription(
      "Interval between verifications, 1m to 24h, e.g. 90s, 10m, 1h30m. Default: the operator's"
          + " setting (10m). A failing verification is repeated sooner (a sixth of it, at least"
          + " 10s).")
  private String interval;

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }
}
