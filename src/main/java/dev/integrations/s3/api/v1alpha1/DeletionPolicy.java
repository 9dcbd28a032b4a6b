package dev.integrations.s3.api.v1alpha1;

/** What happens to the MinIO user and policy when the S3Integration is deleted. */
public enum DeletionPolicy {
  /** Remove the user and its policy. */
  Delete,
  /** Leave them on the storage. */
  Retain
}
