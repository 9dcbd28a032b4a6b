/**
 * The custom resources of {@code s3.integrations.dev/v1alpha1}: data and schema annotations only.
 *
 * <p>Everything that turns a spec into desired state lives in pure classes elsewhere ({@code
 * policy}, {@code secret}); the CRD YAML under {@code crds/} is generated from these classes.
 * Validation lives here as OpenAPI constraints and CEL rules so that the API server refuses bad
 * input before the operator ever sees it; the operator checks again as a second line.
 */
package dev.integrations.s3.api.v1alpha1;
