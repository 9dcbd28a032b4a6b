package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One connection from the visualization service to S3-compatible storage. */
@JsonClassDescription(
    "One connection of a consumer (the visualization service) to S3-compatible storage: the store to use, the credentials (a MinIO user the operator creates, or your own keys), the S3AccessPolicies it is granted and an optional bucket scope. The operator verifies the access and writes the resolved configuration into a Secret (<name>-s3 by default) for the consumer to mount.")
@Categories(ApiGroup.CATEGORY)
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("s3i")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Store",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.storeRef.name")
@AdditionalPrinterColumn(
    name = "Endpoint",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.endpointURL")
@AdditionalPrinterColumn(
    name = "Bucket",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.bucket")
@AdditionalPrinterColumn(
    name = "Secret",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.secretName")
@AdditionalPrinterColumn(
    name = "Reason",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Message",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].message",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class S3Integration extends CustomResource<S3IntegrationSpec, S3IntegrationStatus>
    implements Namespaced {}
