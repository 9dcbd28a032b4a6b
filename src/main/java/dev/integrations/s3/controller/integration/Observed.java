package dev.integrations.s3.controller.integration;

import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.controller.common.StorageConnections;
import dev.integrations.s3.controller.integration.plan.Observation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Instant;

/**
 * What one reconcile read before deciding.
 *
 * @param connection the storage connection and the keys it was opened with
 * @param trustStore the CA ConfigMap beside the Secret, or null (no CA, or none yet)
 * @param observation what the storage and the output Secret hold
 * @param now when it was read
 * @param schedule the status verification is scheduled from (remembered or recorded)
 * @param generation the integration's generation
 */
record Observed(
    StorageConnections.Connection connection,
    ConfigMap trustStore,
    Observation observation,
    Instant now,
    S3IntegrationStatus schedule,
    Long generation) {}
