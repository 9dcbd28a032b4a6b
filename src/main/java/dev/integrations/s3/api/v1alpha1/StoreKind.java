package dev.integrations.s3.api.v1alpha1;

/** The two kinds of store an S3Integration can reference. */
public enum StoreKind {
  /** Platform-owned, cluster-scoped; its Secrets live in the operator's namespace. */
  ClusterS3Store,
  /** A team's own, in the integration's namespace; its Secrets live there too. */
  S3Store
}
