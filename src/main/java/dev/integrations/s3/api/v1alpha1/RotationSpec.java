package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Key rotation of a managed integration: a new key, the old one kept valid for an overlap. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RotationSpec {

  @Size(max = Durations.MAX_LENGTH)
  @Pattern(Durations.LONG_PATTERN)
  @JsonPropertyDescription(
      "How old the key may get before a new one is issued, 1h to 350d (e.g. 90d). Default: the"
          + " store's rotation.defaultInterval; none: only the rotate annotation (keys issued by a"
          + " rotation still live at most a year).")
  private String interval;

  @Size(max = Durations.MAX_LENGTH)
  @Pattern(Durations.LONG_PATTERN)
  @JsonPropertyDescription(
      "How long the previous key stays valid after the Secret holds the new one, 10s to 7d."
          + " Default: 1h.")
  private String overlap;

  public RotationSpec() {}

  public RotationSpec(String interval, String overlap) {
    this.interval = interval;
    this.overlap = overlap;
  }

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

  public String getOverlap() {
    return overlap;
  }

  public void setOverlap(String overlap) {
    this.overlap = overlap;
  }
}
