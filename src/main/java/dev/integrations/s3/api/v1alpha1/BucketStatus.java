package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** What verification with the issued credentials found for one bucket. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BucketStatus {

  /** Outcome of one probe. */
  public enum Result {
    Allowed,
    Denied,
    NoSuchBucket,
    NoObjects,
    Error
  }

  @JsonPropertyDescription("The bucket probed.")
  private String name;

  @JsonPropertyDescription("ListObjectsV2 (max-keys 1) inside a granted prefix.")
  private Result list;

  @JsonPropertyDescription("Ranged GET (bytes=0-0) of the first listed object.")
  private Result get;

  @JsonPropertyDescription("Why a probe did not succeed, when it did not.")
  private String message;

  public BucketStatus() {}

  public BucketStatus(String name, Result list, Result get, String message) {
    this.name = name;
    this.list = list;
    this.get = get;
    this.message = message;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Result getList() {
    return list;
  }

  public void setList(Result list) {
    this.list = list;
  }

  public Result getGet() {
    return get;
  }

  public void setGet(Result get) {
    this.get = get;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BucketStatus b
        && Objects.equals(name, b.name)
        && list == b.list
        && get == b.get
        && Objects.equals(message, b.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, list, get, message);
  }
}
