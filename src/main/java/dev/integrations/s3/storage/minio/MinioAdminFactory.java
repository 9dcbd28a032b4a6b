package dev.integrations.s3.storage.minio;

import dev.integrations.s3.storage.StorageEndpoint;

/** Opens a {@link MinioAdmin} for an endpoint and admin keys; tests substitute a counting one. */
@FunctionalInterface
public interface MinioAdminFactory {
  MinioAdmin connect(StorageEndpoint endpoint, String adminAccessKey, String adminSecretKey);
}
