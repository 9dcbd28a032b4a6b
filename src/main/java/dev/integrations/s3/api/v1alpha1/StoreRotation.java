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

  @Size(max = Durations.MAX_LENGTH)
  @Pattern(Durations.LONG_PATTERN)
  @JsonPropertyDescription(
      "Least time between two rotations asked for with the s3.integrations.dev/rotate annotation,"
          + " counted from when the key consumers hold was issued by the previous rotation; an"
          + " earlier request waits (status.rotation.requestWaitingUntil), then the latest value"
          + " is acted on. 0s..7d, default 10m. Scheduled rotations are not affected.")
  private String minRequestInterval;

  public String getDefaultInterval() {
    return defaultInterval;
  }

  public void setDefaultInterval(String defaultInterval) {
    this.defaultInterval = defaultInterval;
  }

  public String getMinRequestInterval() {
    return minRequestInterval;
  }

  public void setMinRequestInterval(String minRequestInterval) {
    this.minRequestInterval = minRequestInterval;
  }

  public String getMaxInterval() {
    return maxInterval;
  }

  public void setMaxInterval(String maxInterval) {
    this.maxInterval = maxInterval;
  }
}
