package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** How bucket names go into request URLs. */
public enum AddressingStyle {
  /** {@code https://host/bucket/key} — what MinIO and most on-premises systems expect. */
  PATH("path"),
  /** {@code https://bucket.host/key}. */
  VIRTUAL("virtual");

  private final String value;

  AddressingStyle(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }
}
