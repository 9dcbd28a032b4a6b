package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The managed key consumers hold, and the previous one while it overlaps. Never a secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RotationStatus {
  @JsonPropertyDescription("Access key id the output Secret holds.")
  private String currentKeyId;

  @JsonPropertyDescription("When that key was issued (RFC 3339).")
  private String issuedTime;

  @JsonPropertyDescription("When the next rotation is due (absent: only on request).")
  private String nextRotationTime;

  @JsonPropertyDescription("The previous key, still valid during the overlap.")
  private String previousKeyId;

  @JsonPropertyDescription("When the previous key stops being valid.")
  private String previousValidUntil;

  @JsonPropertyDescription(
      "Set while a rotation asked for with the rotate annotation waits, for the running overlap"
          + " to end or for the store's rotation.minRequestInterval since the last rotation: then"
          + " the latest requested value is acted on (RFC 3339).")
  private String requestWaitingUntil;

  public String getRequestWaitingUntil() {
    return requestWaitingUntil;
  }

  public void setRequestWaitingUntil(String requestWaitingUntil) {
    this.requestWaitingUntil = requestWaitingUntil;
  }

  public String getCurrentKeyId() {
    return currentKeyId;
  }

  public void setCurrentKeyId(String currentKeyId) {
    this.currentKeyId = currentKeyId;
  }

  public String getIssuedTime() {
    return issuedTime;
  }

  public void setIssuedTime(String issuedTime) {
    this.issuedTime = issuedTime;
  }

  public String getNextRotationTime() {
    return nextRotationTime;
  }

  public void setNextRotationTime(String nextRotationTime) {
    this.nextRotationTime = nextRotationTime;
  }

  public String getPreviousKeyId() {
    return previousKeyId;
  }

  public void setPreviousKeyId(String previousKeyId) {
    this.previousKeyId = previousKeyId;
  }

  public String getPreviousValidUntil() {
    return previousValidUntil;
  }

  public void setPreviousValidUntil(String previousValidUntil) {
    this.previousValidUntil = previousValidUntil;
  }
}
