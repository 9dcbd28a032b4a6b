package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A team's own storage connection, for integrations of its namespace; its admin and CA Secrets live
 * in that namespace.
 */
@JsonClassDescription(
    "A team's own S3-compatible storage connection (endpoint, TLS, admin keys in a Secret of the same namespace), for the S3Integrations of its namespace.")
@Categories(ApiGroup.CATEGORY)
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("s3s")
@ValidationRule(
    fieldPath = ".spec.allow",
    value = "!has(self.spec.allow) || self.spec.allow.all(r, !has(r.namespaceSelector))",
    message = "an S3Store serves only its own namespace: leave namespaceSelector out")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Endpoint",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.endpointURL")
@AdditionalPrinterColumn(
    name = "Integrations",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.integrations")
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
public class S3Store extends CustomResource<StoreSpec, StoreStatus> implements Namespaced {}
