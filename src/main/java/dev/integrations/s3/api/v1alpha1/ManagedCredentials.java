package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Managed mode, {@code managed: {}}: the store's admin creates the service user (its name derived
 * from namespace and name under the store's user prefix, never chosen by the tenant) and applies
 * the read policy. Needs a store with {@code admin}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ManagedCredentials {}
