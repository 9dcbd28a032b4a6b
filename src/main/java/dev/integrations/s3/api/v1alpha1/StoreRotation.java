package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** What a store asks of its integrations' key rotation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StoreRotation {

  @Size(max = Durations.MAX_LENGTH)
  @Pattern(Durations.LONG_PATTERN)
  @JsonPropertyDescription(
      "Rotation interval of integrations that set none (e.g. 90d). Absent: they rotate only on"
          + " request.")
  private String defaultInterval;

  @Size(max = Durations.MAX_LENGTH)
  @Pattern(Durations.LONG_PATTERN)
  @JsonPropertyDescription(
      "Longest rotation interval an integration may set; with it, integrations that set none"
          + " (and no default applies) rotate at this interval.")
  private String maxInterval;

  public String getDefaultInterval() {
    return defaultInterval;
  }

  public void setDefaultInterval(String defaultInterval) {
    this.defaultInterval = defaultInterval;
  }

  public String getMaxInterval() {
    return maxInterval;
  }

  public void setMaxInterval(String maxInterval) {
    this.maxInterval = maxInterval;
  }
}
